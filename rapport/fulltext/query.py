"""Narrow a queryset to the rows matching a search, through the record type's full-text index.

Every word must match (in any of the searched fields) as the start of a word: "schm" finds
Schmidt, "acme" finds anna@acme.example. Case and accents are ignored. The search is plain
words: quotes, `*`, `%`, `_` or `NEAR(` have no special meaning on either database.

On PostgreSQL the plan matters as much as the index. A list asks for the first 50 matches in
name order, and the planner may walk the name index testing each row, which pays when matches
are spread evenly; but a searched surname sits in one place of that order, and the walk then
reads most of the table (10 s for "Schmidt" at a million contacts). The match condition is
therefore stated twice: PostgreSQL multiplies the selectivities of the two copies, so it
expects far fewer matches and collects them through the index before sorting (about 4 µs a
match), unless a word matches more than roughly a tenth of the rows, where the walk finds 50
quickly. Both copies are answered by the same index scan. See bench/RESULTS.md.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, Expression, F, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.sql.compiler import SQLCompiler

from rapport.fulltext import registry, schema

# Search boxes send short strings; a cap keeps a pasted essay from building a huge query.
MAX_WORDS = 8

_RUNS = re.compile(r"[^\W_]+")  # letters and digits: what both tokenisers keep


def _trim(word: str) -> str:
    """The word without the punctuation around it ("(anna*" → "anna"; "o'brien" stays)."""
    start, end = 0, len(word)
    while start < end and not word[start].isalnum():
        start += 1
    while end > start and not word[end - 1].isalnum():
        end -= 1
    return word[start:end]


def words_of(query: str) -> list[str]:
    """The words searched for: split on spaces, trimmed of surrounding punctuation (so quotes,
    `*` or `NEAR(` mean nothing on either database); words without a letter or digit dropped."""
    words = [_trim(w) for w in query.split()]
    return list(dict.fromkeys(w for w in words if w))[:MAX_WORDS]


def is_registered(model: type[Any]) -> bool:
    """Whether the model has a full-text index (rapport.fulltext.registry)."""
    return registry.for_model(model) is not None


def searched_fields(record_type_key: str, user: Any = None) -> tuple[str, ...]:
    """The indexed fields of a type that a search by `user` may match (hidden ones left out)."""
    fields = registry.get(record_type_key).fields
    if user is None:
        return fields
    from rapport.access import permissions

    hidden = permissions.hidden_fields_of(user, record_type_key)
    return tuple(name for name in fields if name not in hidden)


def search_queryset[QS: QuerySet[Any]](queryset: QS, query: str, *, user: Any = None) -> QS:
    """The rows of `queryset` matching every word of `query`, through the full-text index.

    With `user`, fields hidden from that person are not matched (a hit through a hidden e-mail
    would reveal it). A query without any word finds nothing. The queryset keeps its ordering.
    """
    indexed = registry.for_model(queryset.model)
    if indexed is None:
        raise LookupError(f"{queryset.model.__name__} has no full-text index.")
    words = words_of(query)
    fields = searched_fields(indexed.record_type_key, user)
    if not words or not fields:
        return queryset.none()
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        return _postgresql(queryset, indexed, words, fields)
    if vendor == "sqlite":
        return _sqlite(queryset, indexed, words, fields)
    return _portable(queryset, words, fields)


# PostgreSQL --------------------------------------------------------------------------------------


def runs_of(words: Iterable[str]) -> list[list[str]]:
    """Per word, its runs of letters and digits ("o'brien": o, brien); words without any are
    dropped. Only these reach the query, so nothing typed is tsquery syntax."""
    found = [_RUNS.findall(unicodedata.normalize("NFKC", word)) for word in words]
    return [runs for runs in found if runs]


# One run as a quoted prefix lexeme, folded like the indexed text. Folding can turn a letter into
# punctuation (a modifier apostrophe becomes a quote, a parenthesised digit "(1)"); inside quotes
# only a quote or a backslash would be syntax, so those two become spaces.
_LEXEME_SQL = (
    "'''' || replace(replace(" + schema.FOLD_FUNCTION + "(%s), '''', ' '), chr(92), ' ') || ''':*'"
)


def tsquery_sql(words: Iterable[str]) -> tuple[str, tuple[str, ...]]:
    """SQL building the tsquery: every word a prefix, the runs of one word a phrase."""
    terms: list[str] = []
    params: list[str] = []
    for runs in runs_of(words):
        terms.append("'(' || " + " || ' <-> ' || ".join(_LEXEME_SQL for _ in runs) + " || ')'")
        params.extend(runs)
    joined = " || ' & ' || ".join(terms)
    return f"to_tsquery('simple'::regconfig, {joined})", tuple(params)


class _Matches(Expression):
    """`<vector of the columns> @@ <query>`: a condition the GIN index answers."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, columns: Iterable[Any], words: Iterable[str]) -> None:
        super().__init__()
        self.columns = list(columns)
        self.words = list(words)

    def get_source_expressions(self) -> list[Any]:
        return self.columns

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        self.columns = list(exprs)

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper
    ) -> tuple[str, tuple[str | int, ...]]:
        compiled = [compiler.compile(column) for column in self.columns]
        params = tuple(p for _, column_params in compiled for p in column_params)
        document = schema.pg_document_sql([sql for sql, _ in compiled])
        query, query_params = tsquery_sql(self.words)
        return f"{document} @@ {query}", (*params, *query_params)


def _postgresql[QS: QuerySet[Any]](
    queryset: QS, indexed: registry.Indexed, words: list[str], fields: tuple[str, ...]
) -> QS:
    if not runs_of(words):
        return queryset.none()
    every_field = [F(name) for name in indexed.fields]
    # Twice on purpose: see the module docstring (the planner's bias against index walks).
    queryset = queryset.filter(_Matches(every_field, words)).filter(_Matches(every_field, words))
    if fields != indexed.fields:
        # A hidden field must not be what matched: every word must also match a visible field
        # (tested on the rows found above only).
        for word in words:
            visible = Q()
            for name in fields:
                visible |= Q(_Matches([F(name)], [word]))
            queryset = queryset.filter(visible)
    return queryset


# SQLite ------------------------------------------------------------------------------------------


def fts5_query(words: Iterable[str], columns: Iterable[str] | None = None) -> str:
    """An FTS5 MATCH expression: every word as a quoted prefix, optionally within some columns.

    Inside double quotes FTS5 takes everything as text to tokenize (`"` doubled), so operators
    and syntax characters in the search cannot change the query.
    """
    column_filter = ""
    if columns is not None:
        column_filter = "{" + " ".join(columns) + "} : "
    terms = ['"' + word.replace('"', '""') + '"*' for word in words]
    return " AND ".join(column_filter + term for term in terms)


def _sqlite[QS: QuerySet[Any]](
    queryset: QS, indexed: registry.Indexed, words: list[str], fields: tuple[str, ...]
) -> QS:
    table = schema.fts_table(indexed.record_type_key)
    expression = fts5_query(words, None if fields == indexed.fields else fields)
    # The table name comes from code; the search itself is a bound parameter.
    sql = f'SELECT rowid FROM "{table}" WHERE "{table}" MATCH %s'  # noqa: S608
    matching = RawSQL(sql, [expression])  # noqa: S611
    return queryset.filter(pk__in=matching)


# Any other database: no index, the same meaning with LIKE --------------------------------------


def _portable[QS: QuerySet[Any]](queryset: QS, words: list[str], fields: tuple[str, ...]) -> QS:
    condition = Q()
    for word in words:
        per_word = Q()
        for name in fields:
            per_word |= Q(**{f"{name}__icontains": word})
        condition &= per_word
    return queryset.filter(condition)
