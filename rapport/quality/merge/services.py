"""Merge two or three records of one type into one, and undo it.

    merge = records_merge(acting_user=user, record_type="contact", survivor=a, others=[b],
                          field_values={"email": b.pk})
    merge_undo(acting_user=user, merge=merge)

`field_values` says, per field, which record's value the survivor takes (the record's id);
fields not named keep `default_choices` (the most recently updated record with a value).
Everything that pointed at a merged-away record is re-pointed (see `registry`), the merged-away
records go to the recycle bin with their history, and a `Merge` row keeps exactly what changed,
so `merge_undo` can put it all back. Merging needs edit on the survivor and delete on the others;
a data steward needs edit on all of them (`may_merge`).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from rapport.access import crud, permissions
from rapport.access.roles import is_data_steward
from rapport.core import audit, records
from rapport.core.models import AuditEntry
from rapport.core.recycle import record_restore
from rapport.quality.merge import registry
from rapport.quality.merge.models import Merge

MERGEABLE_TYPES = ("contact", "account", "lead")
MIN_RECORDS, MAX_RECORDS = 2, 3

# Fields a merge never chooses between: the lead's status has its own service and history, and
# its conversion and touch bookkeeping describe what happened to that very lead.
NOT_CHOSEN: dict[str, frozenset[str]] = {
    "lead": frozenset(
        {
            "status",
            "status_changed_at",
            "last_touched_at",
            "web_form",
            "converted_at",
            "converted_by",
            "converted_account",
            "converted_contact",
            "converted_opportunity",
        }
    ),
}


def merge_fields(record_type: str) -> tuple[str, ...]:
    """The fields whose value a merge chooses from one of the records, in the model's order."""
    model = records.get(record_type).model
    skipped = NOT_CHOSEN.get(record_type, frozenset())
    return tuple(name for name in audit.audited_fields(model) if name not in skipped)


def _check_type(record_type: str) -> None:
    if record_type not in MERGEABLE_TYPES:
        raise ValidationError(
            {"record_type": f"Only {', '.join(MERGEABLE_TYPES)} records can be merged."}
        )


def _raw(obj: models.Model, name: str) -> Any:
    field = obj._meta.get_field(name)
    return getattr(obj, field.attname)  # type: ignore[union-attr]


def _is_empty(obj: models.Model, name: str) -> bool:
    value = _raw(obj, name)
    # A flag counts only when it is set: a "do not contact" on any record is kept by default.
    return value is None or value == "" or value is False


def default_choices(records_: Sequence[models.Model]) -> dict[str, int]:
    """Per field, the id of the record whose value wins by default: the most recently updated
    record with a non-empty value; the first record (the survivor) when it has that value too
    or when none has one."""
    if not records_:
        return {}
    record_type = records.for_model(type(records_[0])).key
    recent = sorted(
        records_, key=lambda obj: (getattr(obj, "updated_at", None), obj.pk), reverse=True
    )
    choices: dict[str, int] = {}
    first = records_[0]
    for name in merge_fields(record_type):
        chosen = next((obj for obj in recent if not _is_empty(obj, name)), first)
        # The same value as the first record's (the survivor's) is the survivor's own.
        if _raw(chosen, name) == _raw(first, name):
            chosen = first
        choices[name] = chosen.pk
    return choices


def _previous_values(obj: models.Model, names: Sequence[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in names:
        raw = _raw(obj, name)
        values[name] = raw if isinstance(raw, int | bool | None) else audit._json_value(raw)
    return values


def _model_values(model: type[models.Model], stored: Mapping[str, Any]) -> dict[str, Any]:
    """Model values (instances for foreign keys) from JSON values stored by `_previous_values`."""
    values: dict[str, Any] = {}
    for name, raw in stored.items():
        field = model._meta.get_field(name)
        if isinstance(field, models.ForeignKey):
            related: Any = field.related_model
            values[name] = None if raw is None else related._base_manager.get(pk=raw)
        else:
            assert isinstance(field, models.Field)
            values[name] = field.to_python(raw)
    return values


def _locked(record_type: str, ids: Sequence[int]) -> dict[int, models.Model]:
    manager: Any = records.get(record_type).model._default_manager
    return {obj.pk: obj for obj in manager.select_for_update().filter(pk__in=ids).order_by("pk")}


def _check_parent(record_type: str, survivor: models.Model, merged: set[int]) -> None:
    """An account cannot end up its own ancestor: its parent may not be one of the merged
    records, nor below them once their children move to the survivor."""
    if record_type != "account":
        return
    manager: Any = type(survivor)._base_manager
    seen: set[int] = set()
    merged = merged | {survivor.pk}
    parent_id = getattr(survivor, "parent_id", None)
    while parent_id is not None and parent_id not in seen:
        if parent_id in merged:
            raise ValidationError(
                {"parent": "An account cannot be merged with one of its parents or children."}
            )
        seen.add(parent_id)
        parent_id = manager.filter(pk=parent_id).values_list("parent_id", flat=True).first()


def _names(objects: Sequence[models.Model]) -> str:
    """How a history names merged records: "#12 Ada Lovelace, #13 Ada Lovelace"."""
    return ", ".join(f"#{obj.pk} {obj}" for obj in objects)


def _label(obj: models.Model, name: str) -> str:
    return str(getattr(obj._meta.get_field(name), "verbose_name", name))


def may_merge(user: Any, record_type: str) -> bool:
    """Whether the person's role may merge (and undo merges of) records of the type: edit and
    delete, or edit alone for a data steward."""
    policy = permissions.policy_for(user, record_type)
    return policy.can("edit") and (policy.can("delete") or is_data_steward(user))


@transaction.atomic
def records_merge(
    *,
    acting_user: Any,
    record_type: str,
    survivor: models.Model | int,
    others: Sequence[models.Model | int],
    field_values: Mapping[str, int] | None = None,
) -> Merge:
    """Merge `others` into `survivor` (2 or 3 records of `record_type`) in one transaction."""
    _check_type(record_type)
    survivor_id = survivor if isinstance(survivor, int) else survivor.pk
    other_ids = [other if isinstance(other, int) else other.pk for other in others]
    ids = [survivor_id, *other_ids]
    if len(set(ids)) != len(ids) or not MIN_RECORDS <= len(ids) <= MAX_RECORDS:
        raise ValidationError(
            {"others": "Merge two or three different records: the survivor and one or two more."}
        )
    found = _locked(record_type, ids)
    for pk in ids:
        if pk not in found:
            raise ValidationError({"others" if pk != survivor_id else "survivor": f"No #{pk}."})
        permissions.check(acting_user, "read", record_type, found[pk])
    kept = found[survivor_id]
    gone = [found[pk] for pk in other_ids]
    permissions.check(acting_user, "edit", record_type, kept)
    # A data steward merges what they may edit: the others go to the recycle bin and the merge can
    # be undone, so cleaning up needs no general right to delete.
    steward = is_data_steward(acting_user)
    for other in gone:
        permissions.check(acting_user, "edit" if steward else "delete", record_type, other)

    names = merge_fields(record_type)
    choices = default_choices([kept, *gone])
    for name, source in (field_values or {}).items():
        if name not in names:
            raise ValidationError({name: "This field is not chosen in a merge."})
        if source not in found:
            raise ValidationError({name: "Pick the value of one of the merged records."})
        choices[name] = source
    # Fields the person may not see or change keep the survivor's value, whatever the default.
    protected = permissions.policy_for(acting_user, record_type).protected_fields
    for name in protected & set(names):
        if (field_values or {}).get(name, survivor_id) != survivor_id:
            raise PermissionDenied(f"Your role may not change the {name.replace('_', ' ')}.")
        choices[name] = survivor_id

    previous = _previous_values(kept, names)
    values = {name: getattr(found[choices[name]], name) for name in names}

    moved: list[registry.Repointed] = []
    for handler in registry.handlers(record_type):
        moved.extend(handler(kept, gone))
    for relation in registry.relations(record_type):
        moved.extend(registry.repoint(relation.model, relation.field, kept, gone))

    kept.refresh_from_db()
    crud.record_update(record_type=record_type, obj=kept, acting_user=acting_user, values=values)
    _check_parent(record_type, kept, set(other_ids))
    for other in gone:
        crud.record_delete(
            record_type=record_type, obj=other, acting_user=acting_user, check_permission=False
        )
        audit.audit_record(
            obj=other,
            acting_user=acting_user,
            action=AuditEntry.Action.UPDATE,
            changes={"merged_into": {"old": None, "new": audit._json_value(kept)}},
        )
    taken = {name: pk for name, pk in choices.items() if pk != survivor_id}
    audit.audit_record(
        obj=kept,
        acting_user=acting_user,
        action=AuditEntry.Action.UPDATE,
        changes={
            "merged": {"old": None, "new": _names(gone)},
            "values_taken_from": {
                "old": None,
                "new": "; ".join(f"{_label(kept, k)} from #{v}" for k, v in taken.items()),
            },
        },
    )
    merge = Merge.objects.create(
        record_type=record_type,
        survivor_id=survivor_id,
        other_ids=other_ids,
        field_values=choices,
        previous_values=previous,
        repointed=[row.as_json() for row in moved],
        merged_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    _mark_pairs(record_type, ids, acting_user=acting_user, merged=True)
    return merge


def _mark_pairs(record_type: str, ids: Sequence[int], *, acting_user: Any, merged: bool) -> None:
    """Tell the duplicate queue, when the dedupe app provides one, that these records were
    merged (or that the merge was undone). Imported by name: dedupe is a sibling, not a base."""
    try:
        module = importlib.import_module("rapport.quality.dedupe.models")
    except ImportError:
        return
    pair_model: Any = getattr(module, "DuplicatePair", None)
    if pair_model is None:
        return
    pairs = pair_model.objects.filter(
        record_type=record_type, object_id__in=ids, other_type=record_type, other_id__in=ids
    )
    if merged:
        pairs.exclude(status="merged").update(
            status="merged",
            decided_by=acting_user if getattr(acting_user, "pk", None) else None,
            decided_at=timezone.now(),
        )
    else:
        pairs.filter(status="merged").update(status="open", decided_by=None, decided_at=None)


class MergeUndoError(ValidationError):
    """The merge cannot be undone any more (said why)."""


def _rows_missing(repointed: Sequence[Mapping[str, Any]]) -> str | None:
    from django.apps import apps

    for entry in repointed:
        model: Any = apps.get_model(entry["model"])
        ids = entry["ids"]
        present = 0
        for start in range(0, len(ids), registry.CHUNK):
            present += model._base_manager.filter(
                pk__in=ids[start : start + registry.CHUNK]
            ).count()
        if present != len(ids):
            label = str(model._meta.verbose_name_plural)
            return f"{len(ids) - present} of the {label} it moved were deleted since."
    return None


@transaction.atomic
def merge_undo(*, acting_user: Any, merge: Merge) -> Merge:
    """Put back the survivor's fields, the re-pointed rows and the merged-away records."""
    from django.apps import apps

    merge = Merge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone_at is not None:
        raise MergeUndoError("This merge is already undone.")
    rt = records.get(merge.record_type)
    model: Any = rt.model
    kept = model._default_manager.filter(pk=merge.survivor_id).first()
    if kept is None:
        raise MergeUndoError("The record kept by this merge was deleted since: restore it first.")
    permissions.check(acting_user, "edit", merge.record_type, kept)
    if not may_merge(acting_user, merge.record_type):
        raise PermissionDenied(permissions.denial_message("delete", merge.record_type))
    present = set(model.all_objects.filter(pk__in=merge.other_ids).values_list("pk", flat=True))
    purged = [pk for pk in merge.other_ids if pk not in present]
    if purged:
        raise MergeUndoError(
            f"The merged {rt.label.lower()} #{purged[0]} was purged from the recycle bin since; "
            "the merge can no longer be undone."
        )
    missing = _rows_missing(merge.repointed)
    if missing:
        raise MergeUndoError("The merge can no longer be undone: " + missing)

    for other_id in merge.other_ids:
        if model.all_objects.filter(pk=other_id, deleted_at__isnull=False).exists():
            record_restore(
                record_type=merge.record_type, object_id=other_id, acting_user=acting_user
            )
    for entry in merge.repointed:
        related: Any = apps.get_model(entry["model"])
        attname = related._meta.get_field(entry["field"]).attname
        ids = entry["ids"]
        for start in range(0, len(ids), registry.CHUNK):
            related._base_manager.filter(pk__in=ids[start : start + registry.CHUNK]).update(
                **{attname: entry["old_target"]}
            )
    kept.refresh_from_db()
    crud.record_update(
        record_type=merge.record_type,
        obj=kept,
        acting_user=acting_user,
        values=_model_values(model, merge.previous_values),
    )
    others = list(model._default_manager.filter(pk__in=merge.other_ids).order_by("pk"))
    audit.audit_record(
        obj=kept,
        acting_user=acting_user,
        action=AuditEntry.Action.UPDATE,
        changes={"merge_undone": {"old": None, "new": _names(others)}},
    )
    for other in others:
        audit.audit_record(
            obj=other,
            acting_user=acting_user,
            action=AuditEntry.Action.UPDATE,
            changes={"merged_into": {"old": audit._json_value(kept), "new": None}},
        )
    merge.undone_at = timezone.now()
    merge.undone_by = acting_user if getattr(acting_user, "pk", None) else None
    merge.save(update_fields=["undone_at", "undone_by"])
    _mark_pairs(
        merge.record_type,
        [merge.survivor_id, *merge.other_ids],
        acting_user=acting_user,
        merged=False,
    )
    return merge


def records_for_merge(*, viewer: Any, record_type: str, ids: Sequence[int]) -> list[models.Model]:
    """The records named by `ids`, in that order, that `viewer` may see (for the merge page)."""
    _check_type(record_type)
    model: Any = records.get(record_type).model
    visible = permissions.scope_queryset(viewer, record_type, model._default_manager.all())
    found = {obj.pk: obj for obj in visible.filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


def merge_preview(*, record_type: str, others: Sequence[models.Model]) -> list[tuple[str, int]]:
    """What a merge would re-point at most: (label, row count) per relation that has rows
    (a handler may leave some where they are, e.g. an answer the survivor already has)."""
    counts: list[tuple[str, int]] = []
    ids = [other.pk for other in others]
    for relation in registry.moved(record_type):
        attname = relation.model._meta.get_field(relation.field).attname  # type: ignore[union-attr]
        manager: Any = relation.model._base_manager
        count = manager.filter(**{f"{attname}__in": ids}).count()
        if count:
            field = relation.field.replace("_", " ")
            meta = relation.model._meta
            noun = meta.verbose_name if count == 1 else meta.verbose_name_plural
            counts.append((f"{noun} ({field})", count))
    return counts
