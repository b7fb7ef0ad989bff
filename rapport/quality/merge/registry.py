"""How each record type's related rows follow a merge: the apps that own them register it.

A merge re-points every row that refers to a merged-away record to the survivor, and an undo
puts exactly those rows back. Plain foreign keys register once:

    register_relation("contact", Activity, "contact")

Relations that need more care (a unique constraint, e.g. one answer per lead and question)
register a handler that does the moving itself and says which rows it moved:

    register_handler("lead", move_answers, covers=[(QualificationAnswer, "lead")])

Relations that must stay with the merged-away record on purpose are declared with
`register_kept`, so the completeness test knows they were thought about.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models


@dataclass(frozen=True)
class Repointed:
    """Rows of one model whose `field` was moved from `old_target` to the survivor."""

    model: str  # app_label.model_name
    field: str
    old_target: int
    ids: tuple[int, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "field": self.field,
            "old_target": self.old_target,
            "ids": list(self.ids),
        }


# handler(survivor, others) → the rows it moved (it moves them itself, set-based).
Handler = Callable[[models.Model, Sequence[models.Model]], list[Repointed]]


@dataclass(frozen=True)
class Relation:
    model: type[models.Model]
    field: str


@dataclass(frozen=True)
class _HandlerEntry:
    handler: Handler
    covers: tuple[Relation, ...]


_relations: dict[str, list[Relation]] = defaultdict(list)
_handlers: dict[str, list[_HandlerEntry]] = defaultdict(list)
_kept: dict[str, list[Relation]] = defaultdict(list)


def register_relation(record_type: str, model: type[models.Model], field: str) -> None:
    """Re-point `model.field` from merged-away records of `record_type` to the survivor."""
    relation = Relation(model, field)
    if relation not in _relations[record_type]:
        _relations[record_type].append(relation)


def register_handler(
    record_type: str,
    handler: Handler,
    covers: Iterable[tuple[type[models.Model], str]] = (),
) -> None:
    """Run `handler(survivor, others)` on every merge of `record_type`; it moves the relations
    it `covers` (model, field) itself and returns what it moved."""
    entry = _HandlerEntry(handler, tuple(Relation(m, f) for m, f in covers))
    if entry not in _handlers[record_type]:
        _handlers[record_type].append(entry)


def register_kept(record_type: str, model: type[models.Model], field: str) -> None:
    """Declare that `model.field` stays with the merged-away record (never re-pointed)."""
    relation = Relation(model, field)
    if relation not in _kept[record_type]:
        _kept[record_type].append(relation)


def relations(record_type: str) -> list[Relation]:
    """The plain foreign keys re-pointed on a merge of `record_type`."""
    return list(_relations.get(record_type, ()))


def handlers(record_type: str) -> list[Handler]:
    """The special-case handlers run on a merge of `record_type`."""
    return [entry.handler for entry in _handlers.get(record_type, ())]


def moved(record_type: str) -> list[Relation]:
    """The relations a merge of `record_type` moves, plainly or through a handler."""
    found = relations(record_type)
    for entry in _handlers.get(record_type, ()):
        found.extend(relation for relation in entry.covers if relation not in found)
    return found


def covered(record_type: str) -> set[Relation]:
    """Every relation a merge of `record_type` takes care of (re-pointed, handled or kept)."""
    found = set(_relations.get(record_type, ()))
    found.update(_kept.get(record_type, ()))
    for entry in _handlers.get(record_type, ()):
        found.update(entry.covers)
    return found


# Ids per UPDATE: well under every database's limit on query parameters.
CHUNK = 5000


def model_label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def repoint(
    model: type[models.Model], field: str, survivor: models.Model, others: Sequence[models.Model]
) -> list[Repointed]:
    """Move every row of `model` whose `field` points at one of `others` to `survivor`.

    One read of the ids (kept for the undo) and one UPDATE per relation, whatever the row count.
    The base manager: rows in the recycle bin follow too, so a restore finds them right.
    """
    attname = model._meta.get_field(field).attname  # type: ignore[union-attr]
    manager: Any = model._base_manager
    rows = manager.filter(**{f"{attname}__in": [other.pk for other in others]})
    if isinstance(survivor, model):
        rows = rows.exclude(pk=survivor.pk)  # a self-reference (a parent) never points at itself
    by_target: dict[int, list[int]] = defaultdict(list)
    for pk, target in rows.values_list("pk", attname).order_by("pk"):
        by_target[target].append(pk)
    if not by_target:
        return []
    moved = [pk for ids in by_target.values() for pk in ids]
    for start in range(0, len(moved), CHUNK):
        manager.filter(pk__in=moved[start : start + CHUNK]).update(**{attname: survivor.pk})
    return [
        Repointed(model_label(model), field, target, tuple(ids))
        for target, ids in sorted(by_target.items())
    ]


def unique_handler(model: type[models.Model], field: str, unique_with: Sequence[str]) -> Handler:
    """A handler for a relation under a unique constraint (`field` + `unique_with`): the
    survivor keeps its own rows; a merged-away record's row moves when the survivor has none
    with the same `unique_with` values (the first record listed wins); the rest stay with the
    merged-away record, in the recycle bin with it."""
    attname = model._meta.get_field(field).attname  # type: ignore[union-attr]

    def handle(survivor: models.Model, others: Sequence[models.Model]) -> list[Repointed]:
        manager: Any = model._base_manager
        taken = set(manager.filter(**{attname: survivor.pk}).values_list(*unique_with))
        order = {other.pk: index for index, other in enumerate(others)}
        rows = manager.filter(**{f"{attname}__in": list(order)}).values_list(
            "pk", attname, *unique_with
        )
        by_target: dict[int, list[int]] = defaultdict(list)
        for pk, target, *key in sorted(rows, key=lambda row: (order[row[1]], row[0])):
            if tuple(key) not in taken:
                taken.add(tuple(key))
                by_target[target].append(pk)
        moved = [pk for ids in by_target.values() for pk in ids]
        for start in range(0, len(moved), CHUNK):
            manager.filter(pk__in=moved[start : start + CHUNK]).update(**{attname: survivor.pk})
        return [
            Repointed(model_label(model), field, target, tuple(ids))
            for target, ids in sorted(by_target.items())
        ]

    return handle
