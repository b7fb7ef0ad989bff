"""Validation rules: writing them (audited), reading their violations, and enforcing them on every
record write through the one crud validator."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.db.models import Q

from rapport.access import permissions
from rapport.core import audit, conditions, records
from rapport.core.conditions import ConditionError, Node
from rapport.core.models import AuditEntry
from rapport.quality.rules.models import ValidationRule

RECORD_TYPE = "validation_rule"
CONDITION_FIELDS = ("applies_when", "condition")


@dataclass(frozen=True)
class CompiledRule:
    pk: int
    name: str
    fields: tuple[str, ...]
    message: str
    applies_when: Node | None
    condition: Node


# Parsed conditions by (rule, last change): a rule changes rarely, and the key changes with it, so
# an edit or a rolled-back transaction never leaves a stale entry in use. The list of active rules
# itself is read once per write (one small indexed query), so every process sees a change at once.
_compiled: dict[tuple[int, Any], CompiledRule] = {}


def _compile(rule: ValidationRule) -> CompiledRule:
    key = (rule.pk, rule.updated_at)
    found = _compiled.get(key)
    if found is None:
        if len(_compiled) > 1000:
            _compiled.clear()
        found = CompiledRule(
            pk=rule.pk,
            name=rule.name,
            fields=tuple(rule.field_names or ()),
            message=rule.message,
            applies_when=None
            if rule.applies_when is None
            else conditions.from_json(rule.applies_when),
            condition=conditions.from_json(rule.condition),
        )
        _compiled[key] = found
    return found


def active_rules(record_type: str) -> list[CompiledRule]:
    """The active rules of a record type, in order, with their conditions parsed."""
    rules = ValidationRule.objects.filter(record_type=record_type, is_active=True)
    return [_compile(rule) for rule in rules]


def is_violated(rule: CompiledRule, obj: models.Model) -> bool:
    if rule.applies_when is not None and not conditions.matches(rule.applies_when, obj):
        return False
    return not conditions.matches(rule.condition, obj)


def enforce_rules(obj: models.Model, acting_user: Any) -> None:
    """The crud validator: refuse a write that breaks an active rule of the record's type, keyed
    by the rule's fields, naming the rule."""
    try:
        record_type = records.for_model(type(obj)).key
    except KeyError:
        return
    rules = active_rules(record_type)
    if not rules:
        return
    hidden = (
        permissions.hidden_fields_of(acting_user, record_type)
        if getattr(acting_user, "pk", None)
        else frozenset()
    )
    errors: dict[str, list[str]] = {}
    for rule in rules:
        if is_violated(rule, obj):
            if hidden & set(rule.fields):
                # The message may speak of a field the person may not see: name the rule only,
                # on the whole record.
                text = f"This record breaks the rule “{rule.name}”; ask an administrator."
                keys: tuple[str, ...] = ("__all__",)
            else:
                text = f"{rule.message} (rule “{rule.name}”)"
                keys = rule.fields or ("__all__",)
            for name in keys:
                errors.setdefault(name, []).append(text)
    if errors:
        raise ValidationError(errors)


def violations_query(rule: ValidationRule) -> Q:
    """The records that currently break the rule, as a Q over its record type's model."""
    model = records.get(rule.record_type).model
    compiled = _compile(rule)
    broken = ~conditions.to_query(compiled.condition, model)
    if compiled.applies_when is not None:
        broken &= conditions.to_query(compiled.applies_when, model)
    return broken


def rule_violations(*, rule: ValidationRule, acting_user: Any) -> models.QuerySet[Any]:
    """The records breaking the rule that the person may see (one query, any table size)."""
    model = records.get(rule.record_type).model
    queryset = model._default_manager.filter(violations_query(rule)).order_by("-pk")
    return permissions.scope_queryset(acting_user, rule.record_type, queryset)


# Writing rules -----------------------------------------------------------------------------------


def read_condition(value: Any, record_type: str, name: str) -> dict[str, Any] | None:
    """A condition given as text or JSON, checked against the record type: its JSON form, or
    ValidationError on `name` naming the problem and where it is."""
    if value in (None, "", {}):
        if name == "condition":
            raise ValidationError({name: "Say what the rule requires."})
        return None
    try:
        model = records.get(record_type).model
    except KeyError:
        raise ValidationError({"record_type": "There is no such record type."}) from None
    try:
        if isinstance(value, str):
            node = conditions.parse(value, record_type)
        elif isinstance(value, Node):
            node = value
            conditions.validate(node, model)
        else:
            node = conditions.from_json(value)
            conditions.validate(node, model)
    except ConditionError as error:
        raise ValidationError({name: str(error)}) from None
    return node.to_json()


def _check(values: dict[str, Any]) -> None:
    record_type = values.get("record_type", "")
    try:
        model = records.get(record_type).model
    except KeyError:
        raise ValidationError({"record_type": "There is no such record type."}) from None
    names = values.get("field_names") or []
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise ValidationError({"field_names": "Give a list of field names."})
    for name in names:
        try:
            model._meta.get_field(name)
        except FieldDoesNotExist:
            raise ValidationError(
                {"field_names": f"{model._meta.verbose_name} has no field “{name}”."}
            ) from None
    for name in CONDITION_FIELDS:
        if name in values:
            values[name] = read_condition(values[name], record_type, name)


WRITABLE = (
    "record_type", "name", "kind", "field_names", "applies_when", "condition", "message",
    "is_active", "sort_order",
)  # fmt: skip


def _assign(rule: ValidationRule, values: Mapping[str, Any]) -> None:
    for name, value in values.items():
        if name not in WRITABLE:
            raise ValidationError({name: "This field cannot be written."})
        setattr(rule, name, value)


@transaction.atomic
def rule_create(*, values: Mapping[str, Any], acting_user: Any) -> ValidationRule:
    """Create a rule (conditions as text or JSON, checked against the record type)."""
    data = dict(values)
    rule = ValidationRule()
    _assign(rule, data)
    data = {name: getattr(rule, name) for name in WRITABLE}
    _check(data)
    _assign(rule, data)
    rule.full_clean()
    rule.save()
    audit.audit_record(
        obj=rule,
        acting_user=acting_user,
        action=AuditEntry.Action.CREATE,
        changes=audit.created(rule),
        record_type=RECORD_TYPE,
    )
    return rule


@transaction.atomic
def rule_update(
    *, rule: ValidationRule, values: Mapping[str, Any], acting_user: Any
) -> ValidationRule:
    """Change a rule; enabling or disabling is a change of `is_active`."""
    before = audit.snapshot(rule)
    _assign(rule, values)
    data = {name: getattr(rule, name) for name in WRITABLE}
    _check(data)
    _assign(rule, data)
    rule.full_clean()
    changes = audit.diff(before, audit.snapshot(rule))
    if changes:
        rule.save()
        audit.audit_record(
            obj=rule,
            acting_user=acting_user,
            action=AuditEntry.Action.UPDATE,
            changes=changes,
            record_type=RECORD_TYPE,
        )
    return rule


def rule_text(value: dict[str, Any] | None) -> str:
    """The text form of a stored condition ("" for none)."""
    return "" if value is None else conditions.to_text(conditions.from_json(value))
