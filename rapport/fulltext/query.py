"""Narrow a queryset to the rows matching a search, through the record type's full-text index.

Every word must match (in any of the searched fields). PostgreSQL finds a word of three letters
or more anywhere in the text ("mith" finds Smith), a shorter one at the start of a word; SQLite
(FTS5) finds words starting with each search word. Both ignore case and accents, and treat the
search as plain words: quotes, `*`, `%`, `_` or `NEAR(` have no special meaning.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, Expression, F, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.sql.compiler import SQLCompiler

from rapport.fulltext import registry, schema

# A word needs this many characters before PostgreSQL looks for it inside words.
SUBSTRING_MIN_LENGTH = 3
# Search boxes send short strings; a cap keeps a pasted essay from building a huge query.
MAX_WORDS = 8


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
    would reveal it). A query without any word finds nothing. The queryset keeps its ordering;
    ranking is the caller's choice (see `rapport.fulltext.providers`).
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


def like_pattern(word: str) -> str:
    """The LIKE pattern for a word, its own `\\`, `%` and `_` taken literally."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    if len(word) >= SUBSTRING_MIN_LENGTH:
        return f"%{escaped}%"
    return f"% {escaped}%"  # a word start: the document puts a space before every word


class _DocumentLike(Expression):
    """`<document of fields> LIKE fold(<pattern>)`: a WHERE condition the trigram index answers."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, columns: Iterable[Any], pattern: str) -> None:
        super().__init__()
        self.columns = list(columns)
        self.pattern = pattern

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
        return f"{document} LIKE {schema.FOLD_FUNCTION}(%s)", (*params, self.pattern)


def _postgresql[QS: QuerySet[Any]](
    queryset: QS, indexed: registry.Indexed, words: list[str], fields: tuple[str, ...]
) -> QS:
    every_field = [F(name) for name in indexed.fields]
    restricted = fields != indexed.fields
    for word in words:
        pattern = like_pattern(word)
        # The whole document narrows through the index; with hidden fields, a second (unindexed)
        # test on the visible fields alone runs on those few rows only.
        queryset = queryset.filter(_DocumentLike(every_field, pattern))
        if restricted:
            visible = Q()
            for name in fields:
                visible |= Q(_DocumentLike([F(name)], pattern))
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
