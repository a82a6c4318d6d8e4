"""The engines' full-text index over SearchEntry's token columns.

SQLite: an external-content FTS5 table (`search_fts`, rowid = entry id) with triggers that
keep it in step with every insert, update and delete of the entry table. PostgreSQL: a
stored generated `tsvector` — words weighted A, character pairs B, characters C — with a
GIN index. Django never writes either; it writes the entry row."""

from __future__ import annotations

from typing import Any

from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        words, grams, chars,
        content='search_searchentry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0'
    )""",
    """CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchentry BEGIN
        INSERT INTO search_fts(rowid, words, grams, chars)
        VALUES (new.id, new.words, new.grams, new.chars);
    END""",
    """CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, words, grams, chars)
        VALUES ('delete', old.id, old.words, old.grams, old.chars);
    END""",
    """CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, words, grams, chars)
        VALUES ('delete', old.id, old.words, old.grams, old.chars);
        INSERT INTO search_fts(rowid, words, grams, chars)
        VALUES (new.id, new.words, new.grams, new.chars);
    END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRES = [
    """ALTER TABLE search_searchentry ADD COLUMN vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', words), 'A')
        || setweight(to_tsvector('simple', grams), 'B')
        || setweight(to_tsvector('simple', chars), 'C')
    ) STORED""",
    "CREATE INDEX search_entry_vector ON search_searchentry USING gin (vector)",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS search_entry_vector",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS vector",
]


def forwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE, "postgresql": POSTGRES}.get(vendor, []):
        schema_editor.execute(sql)


def backwards(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}.get(vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
