"""Triggers that write a `MonthChange` for the month of every record of a cubed base that
is added, changed or deleted (xieshang/figures/cube.py), on PostgreSQL and SQLite.

The month is the local (Asia/Shanghai, UTC+8 all year) month of the date that decides the
record's period; a record of a child table (a disposition, a participation, a reply) marks
the month of its parent's date. A change of what a figure reads through a join (a member's
committee, a committee's level) marks every month of the base."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import migrations

Select = Callable[[str, str], str]  # (vendor, "NEW" | "OLD") -> SELECT … AS m


def _month(vendor: str, column: str, *, datetime: bool = True) -> str:
    if vendor == "postgresql":
        if datetime:
            return f"(date_trunc('month', {column} AT TIME ZONE 'Asia/Shanghai'))::date"
        return f"(date_trunc('month', {column}))::date"
    if datetime:  # SQLite keeps UTC text; Asia/Shanghai is UTC+8 all year
        return f"strftime('%Y-%m-01', {column}, '+8 hours')"
    return f"strftime('%Y-%m-01', {column})"


def own(column: str, *, datetime: bool = True) -> Select:
    return lambda v, row: f"SELECT {_month(v, f'{row}.{column}', datetime=datetime)} AS m"


def parent(table: str, column: str, key: str, *, datetime: bool = True) -> Select:
    return lambda v, row: (
        f"SELECT {_month(v, f'p.{column}', datetime=datetime)} AS m "
        f"FROM {table} p WHERE p.id = {row}.{key}"
    )


def children(table: str, column: str, key: str) -> Select:
    return lambda v, row: (
        f"SELECT {_month(v, f'c.{column}')} AS m FROM {table} c WHERE c.{key} = {row}.id"
    )


# table -> [(base, the months a row marks)]
MARKS: dict[str, list[tuple[str, Select]]] = {
    "suggestions_suggestion": [
        ("suggestions", own("created_at")),
        ("dispositions", own("created_at")),
    ],
    "suggestions_disposition": [
        ("dispositions", parent("suggestions_suggestion", "created_at", "suggestion_id")),
    ],
    "suggestions_referral": [("referrals", own("created_at"))],
    "workrooms_activity": [
        ("activities", own("date", datetime=False)),
        ("participations", own("date", datetime=False)),
    ],
    "workrooms_activity_members": [
        ("participations", parent("workrooms_activity", "date", "activity_id", datetime=False)),
    ],
    "proposals_proposal": [
        ("proposals", own("submitted_at")),
        ("ratings", children("proposals_proposalrating", "created_at", "proposal_id")),
    ],
    "proposals_assignment": [
        ("replies", children("proposals_reply", "sent_at", "assignment_id")),
    ],
    "proposals_reply": [("replies", own("sent_at"))],
    "proposals_proposalrating": [("ratings", own("created_at"))],
}
# (table, column): a change of it marks every month of the base
EVERY: list[tuple[str, str, str]] = [
    ("people_member", "committee_id", "dispositions"),
    ("core_committee", "level", "dispositions"),
]


def _inserts(vendor: str, marks: list[tuple[str, Select]], rows: list[str]) -> str:
    statements = []
    for base, select in marks:
        union = " UNION ".join(select(vendor, row) for row in rows)
        statements.append(
            "INSERT INTO figures_monthchange (base, month) "
            f"SELECT DISTINCT '{base}', t.m FROM ({union}) t WHERE t.m IS NOT NULL;"
        )
    return "\n".join(statements)


def install(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        return
    for table, marks in MARKS.items():
        name = f"figures_mark_{table}"
        if vendor == "postgresql":
            schema_editor.execute(
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                "BEGIN\n"
                f"IF TG_OP = 'INSERT' THEN\n{_inserts(vendor, marks, ['NEW'])}\n"
                f"ELSIF TG_OP = 'DELETE' THEN\n{_inserts(vendor, marks, ['OLD'])}\n"
                f"ELSE\n{_inserts(vendor, marks, ['NEW', 'OLD'])}\n"
                "END IF;\nRETURN NULL;\nEND $$"
            )
            schema_editor.execute(
                f"CREATE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {name}()"
            )
        else:
            for event, rows in (("INSERT", ["NEW"]), ("UPDATE", ["NEW", "OLD"]), ("DELETE", ["OLD"])):
                schema_editor.execute(
                    f"CREATE TRIGGER {name}_{event.lower()} AFTER {event} ON {table} "
                    f"FOR EACH ROW BEGIN\n{_inserts(vendor, marks, rows)}\nEND"
                )
    for table, column, base in EVERY:
        name = f"figures_every_{table}_{column}"
        insert = f"INSERT INTO figures_monthchange (base, month) VALUES ('{base}', NULL);"
        if vendor == "postgresql":
            schema_editor.execute(
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                f"BEGIN\n{insert}\nRETURN NULL;\nEND $$"
            )
            schema_editor.execute(
                f"CREATE TRIGGER {name} AFTER UPDATE ON {table} FOR EACH ROW "
                f"WHEN (OLD.{column} IS DISTINCT FROM NEW.{column}) EXECUTE FUNCTION {name}()"
            )
        else:
            schema_editor.execute(
                f"CREATE TRIGGER {name} AFTER UPDATE OF {column} ON {table} FOR EACH ROW "
                f"WHEN OLD.{column} IS NOT NEW.{column} BEGIN\n{insert}\nEND"
            )


def uninstall(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    names = [(f"figures_mark_{t}", t) for t in MARKS] + [
        (f"figures_every_{t}_{c}", t) for t, c, _b in EVERY
    ]
    for name, table in names:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}()")
        elif vendor == "sqlite":
            for suffix in ("", "_insert", "_update", "_delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}{suffix}")


class Migration(migrations.Migration):
    dependencies = [
        ("figures", "0001_initial"),
        ("suggestions", "0011_one_active_claim"),
        ("activities", "0002_committee_option_shape"),
        ("proposals", "0004_assignment_instructions"),
        ("people", "0002_departmentclerk_is_head"),
        ("core", "0006_outbox_job"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
