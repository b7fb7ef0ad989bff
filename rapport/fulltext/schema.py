"""The database objects behind full-text search, for each vendor.

PostgreSQL: a GIN index per table on the text search vector of an expression joining the
searched fields, lower-cased, without accents and with punctuation turned into spaces (so the
parts of an e-mail address or a web site are words of their own). The `simple` configuration
keeps every word as it is (no stemming, no stop words), and a query asks for word prefixes. The
expression must be written exactly as `rapport.fulltext.query` writes it, or the planner will
not use the index. (A trigram index answering `LIKE '%word%'` was measured first and dropped:
see bench/RESULTS.md.)

SQLite: an FTS5 external-content table per record table (the text stays in the record table;
FTS5 keeps only its index), kept in step by insert / update / delete triggers, with the same
tokenising rules (unicode61 without diacritics).

Both therefore find records by words starting with each searched word, in any case and with or
without accents.

Migrations call `create_sql` / `drop_sql` with the fields frozen in the migration. `repair` runs
after every `migrate` and puts back what a later migration of the record's own app may have
removed: SQLite rebuilds a table to alter it, and the triggers go with the old table.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

FOLD_FUNCTION = "rapport_search_fold"
VECTOR_FUNCTION = "rapport_search_vector"

# Characters that separate words inside a value: "jane.doe@acme-corp.example" has five words.
PUNCTUATION = "@._-+/:,;()&'\"!?#*%[]{}<>|~^=$"

# unaccent() is only STABLE (its dictionary could change), which an index expression refuses;
# the two-argument form with a fixed dictionary wrapped in an IMMUTABLE function is the usual
# remedy. A SQL function calling a STABLE one is not inlined, so queries match the index.
_PG_PREAMBLE = (
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    f"CREATE OR REPLACE FUNCTION {FOLD_FUNCTION}(text) RETURNS text "
    "LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS "
    "$$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$",
    f"CREATE OR REPLACE FUNCTION {VECTOR_FUNCTION}(text) RETURNS tsvector "
    "LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS "
    f"$$ SELECT to_tsvector('simple'::regconfig, translate({FOLD_FUNCTION}($1), "
    "'" + PUNCTUATION.replace("'", "''") + "', '" + " " * len(PUNCTUATION) + "')) $$",
)

SQLITE_TOKENIZER = "unicode61 remove_diacritics 2"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def pg_document_sql(columns: Sequence[str]) -> str:
    """The indexed expression over (already quoted or qualified) column references."""
    joined = " || ' ' || ".join(f"COALESCE({column}, '')" for column in columns)
    return f"{VECTOR_FUNCTION}({joined})"


def pg_index_name(key: str) -> str:
    return f"fulltext_{key}_tsv"


def fts_table(key: str) -> str:
    return f"fulltext_{key}"


def _triggers(key: str) -> dict[str, str]:
    return {suffix: f"fulltext_{key}_{suffix}" for suffix in ("ai", "ad", "au")}


def _sqlite_create(key: str, table: str, fields: Sequence[str]) -> list[str]:
    fts = _quote(fts_table(key))
    columns = ", ".join(_quote(f) for f in fields)
    new = ", ".join(f"new.{_quote(f)}" for f in fields)
    old = ", ".join(f"old.{_quote(f)}" for f in fields)
    names = _triggers(key)
    # Identifiers only, from code (never user input): the f-strings below cannot inject.
    delete_old = f"INSERT INTO {fts}({fts}, rowid, {columns}) VALUES ('delete', old.\"id\", {old});"  # noqa: S608
    insert_new = f'INSERT INTO {fts}(rowid, {columns}) VALUES (new."id", {new});'  # noqa: S608
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({columns}, "
        f"content={_quote(table)}, content_rowid='id', tokenize='{SQLITE_TOKENIZER}')",
        f"CREATE TRIGGER IF NOT EXISTS {_quote(names['ai'])} AFTER INSERT ON {_quote(table)} "
        f"BEGIN {insert_new} END",
        f"CREATE TRIGGER IF NOT EXISTS {_quote(names['ad'])} AFTER DELETE ON {_quote(table)} "
        f"BEGIN {delete_old} END",
        f"CREATE TRIGGER IF NOT EXISTS {_quote(names['au'])} AFTER UPDATE OF {columns} "
        f"ON {_quote(table)} BEGIN {delete_old} {insert_new} END",
        # Index the rows that exist already (none on a fresh install).
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",  # noqa: S608
    ]


def create_sql(vendor: str, key: str, table: str, fields: Sequence[str]) -> list[str]:
    """Statements creating the index of one record type (idempotent)."""
    if vendor == "postgresql":
        document = pg_document_sql([_quote(f) for f in fields])
        return [
            *_PG_PREAMBLE,
            f"CREATE INDEX IF NOT EXISTS {_quote(pg_index_name(key))} ON {_quote(table)} "
            f"USING gin ({document})",
        ]
    if vendor == "sqlite":
        return _sqlite_create(key, table, fields)
    return []  # other databases search with plain LIKE (rapport.fulltext.query)


def drop_sql(vendor: str, key: str) -> list[str]:
    """Statements removing the index of one record type."""
    if vendor == "postgresql":
        return [
            f"DROP INDEX IF EXISTS {_quote(pg_index_name(key))}",
            # The trigram index of the first version (migration 0001 as first released).
            f"DROP INDEX IF EXISTS {_quote(f'fulltext_{key}_trgm')}",
        ]
    if vendor == "sqlite":
        names = _triggers(key)
        return [
            *(f"DROP TRIGGER IF EXISTS {_quote(name)}" for name in names.values()),
            f"DROP TABLE IF EXISTS {_quote(fts_table(key))}",
        ]
    return []


def repair(connection: Any, specs: Sequence[tuple[str, str, Sequence[str]]]) -> list[str]:
    """Re-create missing index objects (key, table, fields); return the keys repaired."""
    repaired: list[str] = []
    with connection.cursor() as cursor:
        for key, table, fields in specs:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT 1 FROM pg_indexes WHERE indexname = %s", [pg_index_name(key)]
                )
                missing = cursor.fetchone() is None
            elif connection.vendor == "sqlite":
                wanted = [fts_table(key), *_triggers(key).values()]
                placeholders = ", ".join("%s" for _ in wanted)
                cursor.execute(
                    f"SELECT count(*) FROM sqlite_master WHERE name IN ({placeholders})",  # noqa: S608
                    wanted,
                )
                missing = cursor.fetchone()[0] != len(wanted)
            else:
                missing = False
            if missing:
                for statement in create_sql(connection.vendor, key, table, fields):
                    cursor.execute(statement)
                repaired.append(key)
    return repaired
