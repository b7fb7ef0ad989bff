"""Picklists: the field that points at one, the registry of fields that use each list, and the
services that change values (each audited, in one transaction).

    class Lead(BaseModel):
        source = PicklistField("lead_source", verbose_name=_("source"), help_text=_("…"))

A `PicklistField` is a foreign key to `PicklistValue`, limited to its list and protected from
deletes. Defining it registers the field here, so retiring a value can move every record that uses
it to another value (one UPDATE per using field) without core importing the apps that use lists.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps as global_apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, Max, Prefetch

from rapport.core.audit import audit_record, created, diff, snapshot
from rapport.core.models import AuditEntry, Picklist, PicklistValue
from rapport.core.picklist_defaults import ensure_default_picklists

RECORD_TYPE = "picklist_value"


# The registry -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PicklistUsage:
    """One model field that takes its values from a picklist."""

    model: type[models.Model]
    field_name: str
    picklist_key: str

    @property
    def attname(self) -> str:
        return f"{self.field_name}_id"


_usages: dict[tuple[str, str], PicklistUsage] = {}


def register_usage(model: type[models.Model], field_name: str, picklist_key: str) -> None:
    """Record that `model.field_name` uses `picklist_key` (done by PicklistField itself)."""
    _usages[(model._meta.label_lower, field_name)] = PicklistUsage(model, field_name, picklist_key)


def unregister_usage(model: type[models.Model], field_name: str) -> None:
    _usages.pop((model._meta.label_lower, field_name), None)


def usages_of(picklist_key: str) -> list[PicklistUsage]:
    """The model fields that use a picklist."""
    return [usage for usage in _usages.values() if usage.picklist_key == picklist_key]


# The field ----------------------------------------------------------------------------------------


class PicklistField(models.ForeignKey[Any, Any]):
    """A foreign key to a value of one picklist.

    Validation refuses a value of another list (naming the field) and a retired value, unless the
    record already had that value: retiring a value never makes existing records invalid.
    """

    def __init__(self, picklist_key: str, **kwargs: Any) -> None:
        self.picklist_key = picklist_key
        # The class by default, not "core.PicklistValue": models in an isolated app registry resolve
        # it too; a clone made from deconstruct() (migration state) passes the string back.
        target = kwargs.pop("to", PicklistValue)
        kwargs["on_delete"] = models.PROTECT
        kwargs["limit_choices_to"] = {"picklist__key": picklist_key}
        kwargs.setdefault("related_name", "+")
        super().__init__(target, **kwargs)

    def deconstruct(self) -> Any:
        name, _path, _args, kwargs = super().deconstruct()
        for generated in ("on_delete", "limit_choices_to"):
            kwargs.pop(generated, None)
        kwargs["to"] = "core.picklistvalue"
        return name, "rapport.core.picklists.PicklistField", [self.picklist_key], kwargs

    def contribute_to_class(
        self, cls: type[models.Model], name: str, private_only: bool = False, **kwargs: Any
    ) -> None:
        super().contribute_to_class(cls, name, private_only=private_only, **kwargs)
        # Only the real models: migrations build historical copies in their own app registry.
        if not cls._meta.abstract and cls._meta.apps is global_apps:
            register_usage(cls, name, self.picklist_key)

    def validate(self, value: Any, model_instance: models.Model | None) -> None:
        models.Field.validate(self, value, model_instance)
        if value is None:
            return
        chosen = PicklistValue.objects.select_related("picklist").filter(pk=value).first()
        label = str(self.verbose_name).capitalize()
        if chosen is None:
            raise ValidationError(
                "%(field)s: there is no such value.", code="invalid", params={"field": label}
            )
        if chosen.picklist.key != self.picklist_key:
            raise ValidationError(
                "%(field)s: “%(value)s” belongs to the %(other)s list, not to this field's list.",
                code="wrong_picklist",
                params={"field": label, "value": chosen.label, "other": chosen.picklist.name},
            )
        if not chosen.is_active and not _already_has(model_instance, self, value):
            raise ValidationError(
                "%(field)s: “%(value)s” is retired and can no longer be chosen.",
                code="retired",
                params={"field": label, "value": chosen.label},
            )


def _already_has(instance: models.Model | None, field: PicklistField, value: Any) -> bool:
    if instance is None or instance._state.adding or instance.pk is None:
        return False
    manager = type(instance)._base_manager
    return manager.filter(pk=instance.pk, **{field.attname: value}).exists()


# Reads --------------------------------------------------------------------------------------------


def picklists_with_values() -> models.QuerySet[Picklist]:
    """Every picklist with its values (retired ones too) in order, in two queries."""
    return Picklist.objects.prefetch_related(
        Prefetch("values", queryset=PicklistValue.objects.order_by("sort_order", "id"))
    )


def picklist_usage_counts(picklist: Picklist) -> dict[int, int]:
    """How many records use each value of a picklist: one grouped query per using field."""
    counts: dict[int, int] = {}
    for usage in usages_of(picklist.key):
        rows = (
            usage.model._base_manager.filter(**{f"{usage.attname}__isnull": False})
            .values(usage.attname)
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in rows:
            counts[row[usage.attname]] = counts.get(row[usage.attname], 0) + row["n"]
    return counts


def picklist_value_usage_count(value: PicklistValue) -> int:
    """How many records use one value."""
    return sum(
        usage.model._base_manager.filter(**{usage.attname: value.pk}).count()
        for usage in usages_of(value.picklist.key)
    )


# Writes -------------------------------------------------------------------------------------------

_EDITABLE = ("key", "label", "definition", "color")


def _audit(value: PicklistValue, action: str, changes: dict[str, Any], acting_user: Any) -> None:
    audit_record(
        obj=value,
        acting_user=acting_user,
        action=action,
        changes=changes,
        record_type=RECORD_TYPE,
    )


@transaction.atomic
def picklist_value_create(
    *,
    picklist: Picklist,
    key: str,
    label: str,
    definition: str = "",
    color: str = "",
    acting_user: Any,
) -> PicklistValue:
    """Add a value at the end of its list."""
    last = PicklistValue.objects.filter(picklist=picklist).aggregate(m=Max("sort_order"))["m"]
    value = PicklistValue(
        picklist=picklist,
        key=key,
        label=label,
        definition=definition,
        color=color,
        sort_order=(last or 0) + 10,
    )
    value.full_clean()
    value.save()
    _audit(value, AuditEntry.Action.CREATE, created(value), acting_user)
    return value


@transaction.atomic
def picklist_value_update(
    *, value: PicklistValue, acting_user: Any, **fields: Any
) -> PicklistValue:
    """Change a value's key, label, definition or colour."""
    unknown = set(fields) - set(_EDITABLE)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}.")
    before = snapshot(value)
    for name, new in fields.items():
        setattr(value, name, new)
    value.full_clean()
    value.save()
    _audit(value, AuditEntry.Action.UPDATE, diff(before, snapshot(value)), acting_user)
    return value


@transaction.atomic
def picklist_value_reorder(*, value: PicklistValue, offset: int, acting_user: Any) -> None:
    """Move a value up (negative offset) or down its list; the list is renumbered 10, 20, …"""
    ordered = list(
        PicklistValue.objects.select_for_update()
        .filter(picklist_id=value.picklist_id)
        .order_by("sort_order", "id")
    )
    position = next(i for i, other in enumerate(ordered) if other.pk == value.pk)
    target = max(0, min(len(ordered) - 1, position + offset))
    ordered.insert(target, ordered.pop(position))
    _renumber(ordered, acting_user)


def _renumber(ordered: Iterable[PicklistValue], acting_user: Any) -> None:
    changed = []
    for index, item in enumerate(ordered):
        new_order = (index + 1) * 10
        if item.sort_order != new_order:
            changes = {"sort_order": {"old": item.sort_order, "new": new_order}}
            item.sort_order = new_order
            changed.append(item)
            _audit(item, AuditEntry.Action.UPDATE, changes, acting_user)
    PicklistValue.objects.bulk_update(changed, ["sort_order"])


class PicklistRemapError(ValueError):
    """The value to move records to cannot take them."""


@dataclass(frozen=True)
class RetireResult:
    value: PicklistValue
    moved: int


@transaction.atomic
def picklist_value_retire(
    *, value: PicklistValue, acting_user: Any, remap_to: PicklistValue | None = None
) -> RetireResult:
    """Retire a value: it can no longer be chosen, and records keep it and still show its label.

    With `remap_to`, every record that uses it moves to that value first: one UPDATE per field
    that uses the list, and one audit entry on the retired value with the number moved.
    """
    value = PicklistValue.objects.select_for_update().select_related("picklist").get(pk=value.pk)
    if remap_to is not None:
        if remap_to.pk == value.pk:
            raise PicklistRemapError("Records cannot be moved to the value being retired.")
        if remap_to.picklist_id != value.picklist_id:
            raise PicklistRemapError(
                f"“{remap_to.label}” is not a value of the {value.picklist.name} list."
            )
        if not remap_to.is_active:
            raise PicklistRemapError(f"“{remap_to.label}” is retired; choose an active value.")
    moved = 0
    if remap_to is not None:
        for usage in usages_of(value.picklist.key):
            moved += usage.model._base_manager.filter(**{usage.attname: value.pk}).update(
                **{usage.attname: remap_to.pk}
            )
    changes: dict[str, Any] = {}
    if value.is_active:
        changes["is_active"] = {"old": True, "new": False}
    if remap_to is not None:
        changes["records_moved"] = {"old": None, "new": moved}
        changes["moved_to"] = {"old": None, "new": {"id": remap_to.pk, "repr": remap_to.label}}
    value.is_active = False
    value.save(update_fields=["is_active"])
    if changes:
        _audit(value, AuditEntry.Action.DEACTIVATE, changes, acting_user)
    return RetireResult(value=value, moved=moved)


@transaction.atomic
def picklist_value_reactivate(*, value: PicklistValue, acting_user: Any) -> PicklistValue:
    """Make a retired value choosable again."""
    if value.is_active:
        return value
    value.is_active = True
    value.save(update_fields=["is_active"])
    changes = {"is_active": {"old": False, "new": True}}
    _audit(value, AuditEntry.Action.REACTIVATE, changes, acting_user)
    return value


def picklists_ensure_defaults() -> int:
    """Create the default picklists and values that are missing; return how many values."""
    return ensure_default_picklists(Picklist, PicklistValue)
