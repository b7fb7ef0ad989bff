"""Generic writes for any registered record type: permission, validation, audit, recycle bin.

Domain services wrap these and add their own rules (a lead's status history, an opportunity's
stage gates), so every record is written the same way whether it comes from a page, the API, an
import or a conversion:

    lead = crud.record_create(record_type="lead", acting_user=user, values={"last_name": "Ng"})

`values` are model field names with model values (instances for foreign keys), as a ModelForm's
`cleaned_data` or a serializer's `validated_data` hold them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model

from rapport.access import permissions
from rapport.core import audit, records
from rapport.core.models import AuditEntry, SoftDeleteModel
from rapport.core.recycle import record_soft_delete

# Hooks the quality engine registers at start-up (a registry, not an import: it sits above
# access). Each runs on every create and update of the record types it names (all when None):
# normalizers tidy the values in place before validation (e-mail, phone, names); validators raise
# ValidationError naming the field and the rule after the model's own validation; after-save
# hooks keep derived data (match keys, scores) in step, inside the same transaction.
WriteHook = Callable[[Model, Any], None]


@dataclass(frozen=True)
class _Hook:
    function: WriteHook
    record_types: frozenset[str] | None


_normalizers: list[_Hook] = []
_validators: list[_Hook] = []
_after_save: list[_Hook] = []


def _register(hooks: list[_Hook], function: WriteHook, record_types: Iterable[str] | None) -> None:
    hook = _Hook(function, None if record_types is None else frozenset(record_types))
    if hook not in hooks:
        hooks.append(hook)


def register_normalizer(function: WriteHook, record_types: Iterable[str] | None = None) -> None:
    """Run `function(obj, acting_user)` on every write before validation; it changes `obj`."""
    _register(_normalizers, function, record_types)


def register_validator(function: WriteHook, record_types: Iterable[str] | None = None) -> None:
    """Run `function(obj, acting_user)` on every write after the model's own validation."""
    _register(_validators, function, record_types)


def register_after_save(function: WriteHook, record_types: Iterable[str] | None = None) -> None:
    """Run `function(obj, acting_user)` after every create or update, in the same transaction."""
    _register(_after_save, function, record_types)


def _run(hooks: list[_Hook], record_type: str, obj: Model, acting_user: Any) -> None:
    for hook in tuple(hooks):
        if hook.record_types is None or record_type in hook.record_types:
            hook.function(obj, acting_user)


def write_hooks(record_type: str) -> tuple[list[WriteHook], list[WriteHook], list[WriteHook]]:
    """(normalizers, validators, after-save hooks) that run on writes of the type, in order: for
    bulk writers (imports) that run the same hooks set-based where they can."""

    def of(hooks: list[_Hook]) -> list[WriteHook]:
        return [
            h.function for h in hooks if h.record_types is None or record_type in h.record_types
        ]

    return of(_normalizers), of(_validators), of(_after_save)


def derived_refresh(*, record_type: str, obj: Model, acting_user: Any) -> None:
    """Run the after-save hooks for a record changed without `record_update` (a one-column
    UPDATE, its qualification answers): its derived data (match keys, quality score) follows."""
    _run(_after_save, record_type, obj, acting_user)


def prepare(*, record_type: str, obj: Model, acting_user: Any) -> None:
    """Normalise and validate a record as every write does, without saving it (for previews,
    imports' dry runs and bulk edits): raises ValidationError naming fields and rules."""
    _run(_normalizers, record_type, obj, acting_user)
    obj.full_clean()
    _run(_validators, record_type, obj, acting_user)


# Never set from outside: bookkeeping the record keeps itself.
UNWRITABLE = frozenset({"id", "pk", "created_at", "updated_at", "deleted_at", "deleted_by"})


def _refuse_protected(acting_user: Any, record_type: str, names: Iterable[str]) -> None:
    refused = permissions.protected_fields_in(acting_user, record_type, names)
    if refused:
        raise PermissionDenied(
            "Your role may not set or change these fields: " + ", ".join(refused) + "."
        )


def _assign(obj: Model, values: Mapping[str, Any]) -> None:
    for name, value in values.items():
        if name in UNWRITABLE:
            raise ValidationError({name: "This field is set by Rapport and cannot be written."})
        try:
            model_field = obj._meta.get_field(name)
        except FieldDoesNotExist:
            raise ValidationError({name: "There is no such field."}) from None
        if model_field.many_to_many or model_field.one_to_many:
            raise ValidationError({name: "Set this relation through its own service."})
        setattr(obj, name, value)


def _default_owner(obj: Model, acting_user: Any, values: Mapping[str, Any]) -> None:
    """Records with an owner belong to whoever creates them unless the values say otherwise."""
    if "owner" in values or acting_user is None or not getattr(acting_user, "pk", None):
        return
    try:
        obj._meta.get_field("owner")
    except FieldDoesNotExist:
        return
    if getattr(obj, "owner_id", None) is None:
        obj.owner = acting_user  # type: ignore[attr-defined]


@transaction.atomic
def record_create[M: Model](
    *,
    record_type: str,
    acting_user: Any,
    values: Mapping[str, Any],
    check_permission: bool = True,
    instance: M | None = None,
) -> M:
    """Create a record of the type from `values` (an unsaved `instance` may carry more)."""
    rt = records.get(record_type)
    if check_permission and acting_user is not None:
        permissions.check(acting_user, "create", record_type)
        _refuse_protected(acting_user, record_type, values.keys())
    obj: Any = instance if instance is not None else rt.model()
    _assign(obj, values)
    _default_owner(obj, acting_user, values)
    prepare(record_type=record_type, obj=obj, acting_user=acting_user)
    obj.save()
    _run(_after_save, record_type, obj, acting_user)
    audit.audit_record(
        obj=obj,
        acting_user=acting_user,
        action=AuditEntry.Action.CREATE,
        changes=audit.created(obj),
    )
    return obj  # type: ignore[no-any-return]


@transaction.atomic
def record_update[M: Model](
    *,
    record_type: str,
    obj: M,
    acting_user: Any,
    values: Mapping[str, Any],
    check_permission: bool = True,
) -> M:
    """Change some fields of a record; a change that changes nothing writes nothing."""
    if check_permission and acting_user is not None:
        permissions.check(acting_user, "edit", record_type, obj)
        changed = [name for name, value in values.items() if getattr(obj, name, None) != value]
        _refuse_protected(acting_user, record_type, changed)
    before = audit.snapshot(obj)
    _assign(obj, values)
    prepare(record_type=record_type, obj=obj, acting_user=acting_user)
    changes = audit.diff(before, audit.snapshot(obj))
    if changes:
        obj.save()
        audit.audit_record(
            obj=obj, acting_user=acting_user, action=AuditEntry.Action.UPDATE, changes=changes
        )
        _run(_after_save, record_type, obj, acting_user)
    return obj


@transaction.atomic
def record_delete[M: Model](
    *, record_type: str, obj: M, acting_user: Any, check_permission: bool = True
) -> M:
    """Move a record to the recycle bin (types without one refuse: retire them instead)."""
    rt = records.get(record_type)
    if check_permission and acting_user is not None:
        permissions.check(acting_user, "delete", record_type, obj)
    if not rt.deletable or not isinstance(obj, SoftDeleteModel):
        raise ValidationError(
            f"{rt.label_plural} are never deleted; mark them inactive to retire them."
        )
    record_soft_delete(obj=obj, acting_user=acting_user)
    return obj
