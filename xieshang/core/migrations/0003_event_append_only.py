"""The timeline is append-only in the database too: UPDATE (and on PostgreSQL, DELETE) of
a core_event row fails, whatever code or hand-typed SQL tries it.

Left open on purpose: TRUNCATE on PostgreSQL and DELETE on SQLite, the statements Django's
`flush` uses, so that transactional tests and deliberate maintenance can still empty the
table. The model and its queryset refuse deletes in application code on both.
"""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER core_event_no_update BEFORE UPDATE ON core_event
       BEGIN SELECT RAISE(ABORT, 'core_event is append-only'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS core_event_no_update",
]
POSTGRES = [
    """CREATE OR REPLACE FUNCTION core_event_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'core_event is append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER core_event_append_only BEFORE UPDATE OR DELETE ON core_event
       FOR EACH ROW EXECUTE FUNCTION core_event_append_only()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS core_event_append_only ON core_event",
    "DROP FUNCTION IF EXISTS core_event_append_only()",
]


def forwards(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(schema_editor.connection.vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    statements = {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}.get(
        schema_editor.connection.vendor, []
    )
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_event")]

    operations = [migrations.RunPython(forwards, backwards)]
