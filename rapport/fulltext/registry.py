"""Which fields of which record types the full-text index covers.

Apps do not register here themselves: rapport.fulltext sits above customers, leads and pipeline
and registers their types from its `ready()`, so the index definitions (migrations) and the
searched fields stay in one app.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class Indexed:
    """One record type's searchable text: the model and the fields concatenated into the index."""

    record_type_key: str
    model: type[models.Model]
    fields: tuple[str, ...]

    @property
    def table(self) -> str:
        return self.model._meta.db_table


_indexed: dict[str, Indexed] = {}


def register(record_type_key: str, model: type[models.Model], fields: tuple[str, ...]) -> None:
    """Declare that `fields` of `model` are searched through the full-text index.

    The database objects (trigram index on PostgreSQL, FTS5 table and triggers on SQLite) come
    from this app's migrations; the declaration here must list the same fields.
    """
    if not fields:
        raise ValueError(f"Full-text search on {record_type_key!r} needs at least one field.")
    for name in fields:
        model._meta.get_field(name)  # a typo fails at start-up, not at the first search
    _indexed[record_type_key] = Indexed(record_type_key, model, tuple(fields))


def get(record_type_key: str) -> Indexed:
    """The index declaration of a record type (KeyError when it has none)."""
    return _indexed[record_type_key]


def for_model(model: type[models.Model]) -> Indexed | None:
    """The index declaration covering a model (or its proxy), None when there is none."""
    concrete = model._meta.concrete_model
    for indexed in _indexed.values():
        if indexed.model is concrete:
            return indexed
    return None


def all_indexed() -> list[Indexed]:
    return list(_indexed.values())
