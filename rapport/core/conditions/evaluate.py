"""Checking a condition against a model, and its two evaluators that must agree:
`to_query` (ORM expressions, set-based) and `matches` (one instance in memory).

Both work from the same resolved form (`_resolve`): the field path checked against the model, the
value converted to the field's type, picklist and stage keys looked up once. So a tie ("exactly
3 days old", "= 50") is decided by the same numbers on both sides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Count as CountAgg
from django.db.models import Exists as ExistsExpr
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, TruncDate
from django.db.models.lookups import (
    Exact,
    GreaterThan,
    GreaterThanOrEqual,
    LessThan,
    LessThanOrEqual,
)
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from rapport.core.conditions.ast import (
    COMPARISONS,
    DATES,
    LISTS,
    RELATIVE,
    TEXT,
    UNARY,
    AllOf,
    AnyOf,
    Compare,
    ConditionError,
    Count,
    Duration,
    Exists,
    FieldRef,
    Node,
    Not,
)

ORDERING = ("<", "<=", ">", ">=")
_TEXT_FIELDS = (models.CharField, models.TextField)
_NUMBER_FIELDS = (models.IntegerField, models.DecimalField, models.FloatField)
_ALLOWED = {
    "text": COMPARISONS[:2] + UNARY + LISTS + TEXT,
    "number": COMPARISONS + UNARY + LISTS,
    "bool": ("=", "!=", *UNARY),
    "date": COMPARISONS + UNARY + RELATIVE + DATES,
    "datetime": COMPARISONS + UNARY + RELATIVE + DATES,
    "keyed": COMPARISONS + UNARY + LISTS,
    "fk": ("=", "!=", *UNARY, *LISTS),
}


def _err(node: Node, message: str, text: str | None) -> ConditionError:
    return ConditionError(message, node.position, text)


@dataclass(frozen=True)
class _Field:
    path: tuple[str, ...]  # the field names from the model, e.g. ("account", "industry")
    field: models.Field[Any, Any]
    kind: str  # text, number, bool, date, datetime, keyed (picklists, stages), fk

    @property
    def lookup(self) -> str:
        return "__".join(self.path)


def _is_keyed(field: models.Field[Any, Any]) -> bool:
    """A foreign key to a list of named, ordered values (a picklist value, a stage)."""
    target = field.related_model
    if not isinstance(target, type):
        return False
    names = {f.name for f in target._meta.get_fields()}
    return {"key", "sort_order"} <= names


def _field(model: type[models.Model], node: Compare, text: str | None) -> _Field:
    current: type[models.Model] = model
    parts = node.field.split(".")
    for index, name in enumerate(parts):
        try:
            found = current._meta.get_field(name)
        except FieldDoesNotExist:
            raise _err(node, f"{current._meta.verbose_name} has no field “{name}”.", text) from None
        last = index == len(parts) - 1
        if not isinstance(found, models.Field) or found.many_to_many or found.one_to_many:
            raise _err(node, f"“{node.field}”: {name} is a list of records; use count() or "
                       "exists().", text)  # fmt: skip
        if not last:
            if not found.is_relation or not isinstance(found.related_model, type):
                raise _err(node, f"“{node.field}”: {name} is not a link to another record.", text)
            current = found.related_model
            continue
        if found.is_relation:
            kind = "keyed" if _is_keyed(found) else "fk"
        elif isinstance(found, models.BooleanField):
            kind = "bool"
        elif isinstance(found, models.DateTimeField):
            kind = "datetime"
        elif isinstance(found, models.DateField):
            kind = "date"
        elif isinstance(found, _NUMBER_FIELDS):
            kind = "number"
        elif isinstance(found, _TEXT_FIELDS):
            kind = "text"
        else:
            raise _err(node, f"“{node.field}” cannot be used in conditions.", text)
        return _Field(tuple(parts), found, kind)
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class _Bound:
    """A comparison resolved against the model: the field, and the value in the field's terms."""

    node: Compare
    target: _Field
    value: Any  # converted; for keyed fields the key (=, in) or the sort order (<, >)


def _convert(node: Compare, target: _Field, raw: Any, text: str | None) -> Any:
    field, kind = target.field, target.kind
    label = node.field
    if kind in ("text",):
        if not isinstance(raw, str):
            raise _err(node, f"{label} is text: compare it with a quoted value.", text)
        choices = [str(choice) for choice, _label in field.flatchoices] if field.choices else []
        if choices and node.op in ("=", "!=", "in", "not_in") and raw not in choices:
            raise _err(node, f"{label} has no value “{raw}” (it takes {', '.join(choices)}).",
                       text)  # fmt: skip
        return raw
    if kind == "number":
        if isinstance(raw, bool) or not isinstance(raw, int | Decimal | str):
            raise _err(node, f"{label} is a number: compare it with a number.", text)
        try:
            return Decimal(raw) if not isinstance(raw, int) else raw
        except InvalidOperation:
            raise _err(node, f"{label} is a number, not “{raw}”.", text) from None
    if kind == "bool":
        if not isinstance(raw, bool):
            raise _err(node, f"{label} is yes/no: compare it with true or false.", text)
        return raw
    if kind in ("date", "datetime"):
        if not isinstance(raw, str):
            raise _err(node, f"{label} is a date: compare it with a quoted date.", text)
        when: dt.date | dt.datetime | None
        try:
            when = parse_datetime(raw) if "T" in raw or " " in raw else parse_date(raw)
        except ValueError:
            when = None
        if when is None:
            raise _err(node, f'“{raw}” is not a date like "2025-01-31".', text)
        if kind == "date":
            if isinstance(when, dt.datetime):
                raise _err(node, f"{label} is a date without a time.", text)
            return when
        if not isinstance(when, dt.datetime):  # a day means its start, in the current time zone
            when = dt.datetime.combine(when, dt.time.min)
        if timezone.is_naive(when):
            when = timezone.make_aware(when)
        return when
    if kind == "fk":
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise _err(node, f"{label} links to a record: compare it with the record's id.", text)
        return raw
    # keyed: a picklist value or a stage, named by its key
    if not isinstance(raw, str):
        raise _err(node, f'{label} takes a value key in quotes, e.g. "new".', text)
    target_model = field.related_model
    assert isinstance(target_model, type)
    limit = field.get_limit_choices_to() if hasattr(field, "get_limit_choices_to") else {}
    found = (
        target_model._default_manager.filter(**(limit if isinstance(limit, dict) else {}))
        .filter(key=raw)
        .values_list("sort_order", flat=True)
        .first()
    )
    if found is None:
        raise _err(node, f"{label} has no value “{raw}”.", text)
    return found if node.op in ORDERING else raw


@dataclass(frozen=True)
class _Other:
    """The other side of a field-to-field comparison."""

    target: _Field


_COMPARABLE = {"number": "number", "date": "time", "datetime": "time", "text": "text"}


def _bind_field_ref(node: Compare, target: _Field, model: type[models.Model],
                    text: str | None) -> _Bound:  # fmt: skip
    assert isinstance(node.value, FieldRef)
    other = _field(model, Compare(node.value.field, "=", position=node.position), text)
    group = _COMPARABLE.get(target.kind)
    if group is None or group != _COMPARABLE.get(other.kind):
        raise _err(node, f"{node.field} cannot be compared with {node.value.field}.", text)
    if node.op not in COMPARISONS + DATES or (group == "text" and node.op not in ("=", "!=")):
        raise _err(node, f"{node.field} cannot be compared with “{node.op}” another field.", text)
    return _Bound(node, target, _Other(other))


def _bind(model: type[models.Model], node: Compare, text: str | None) -> _Bound:
    target = _field(model, node, text)
    if node.op not in _ALLOWED[target.kind]:
        raise _err(node, f"{node.field} cannot be compared with “{node.op}”.", text)
    if isinstance(node.value, FieldRef):
        return _bind_field_ref(node, target, model, text)
    if node.op in UNARY:
        return _Bound(node, target, None)
    if node.op in RELATIVE:
        if not isinstance(node.value, Duration):
            raise _err(node, f"{node.op} takes a duration such as 3d.", text)
        return _Bound(node, target, node.value)
    if node.op in LISTS:
        assert isinstance(node.value, tuple)
        return _Bound(node, target, tuple(_convert(node, target, v, text) for v in node.value))
    return _Bound(node, target, _convert(node, target, node.value, text))


def _relation(model: type[models.Model], node: Count | Exists, text: str | None) -> Any:
    try:
        found = model._meta.get_field(node.relation)
    except FieldDoesNotExist:
        raise _err(node, f"{model._meta.verbose_name} has no related “{node.relation}”.",
                   text) from None  # fmt: skip
    if not found.one_to_many:
        raise _err(node, f"“{node.relation}” is not a list of related records.", text)
    return found


# A resolved tree: the same shape, comparisons bound to fields, relations to their model.
@dataclass(frozen=True)
class _Rel:
    node: Count | Exists
    model: type[models.Model]
    fk_name: str
    accessor: str
    where: Any


def _resolve(node: Node, model: type[models.Model], text: str | None) -> Any:
    if isinstance(node, AllOf | AnyOf):
        return (type(node), tuple(_resolve(item, model, text) for item in node.items))
    if isinstance(node, Not):
        return (Not, _resolve(node.item, model, text))
    if isinstance(node, Count | Exists):
        relation = _relation(model, node, text)
        related = relation.related_model
        where = None if node.where is None else _resolve(node.where, related, text)
        return _Rel(node, related, relation.field.name, relation.get_accessor_name(), where)
    assert isinstance(node, Compare)
    return _bind(model, node, text)


def validate(condition: Node, model: type[models.Model], text: str | None = None) -> None:
    """Check the condition fits the model: unknown fields, wrong types and picklist values raise
    ConditionError naming the field (and its position when `text` is the source)."""
    _resolve(condition, model, text)


# Relative time -----------------------------------------------------------------------------------


def _cutoff(bound: _Bound, now: dt.datetime) -> tuple[Any, Any]:
    """(oldest moment that is still "within", now), as dates for date fields."""
    assert isinstance(bound.value, Duration)
    earliest = now - dt.timedelta(seconds=bound.value.seconds)
    if bound.target.kind == "date":
        return timezone.localdate(earliest), timezone.localdate(now)
    return earliest, now


# to_query ----------------------------------------------------------------------------------------

_EXPR_LOOKUPS: dict[str, Callable[..., Any]] = {
    "=": Exact,
    "<": LessThan,
    "<=": LessThanOrEqual,
    ">": GreaterThan,
    ">=": GreaterThanOrEqual,
}
_Q_LOOKUPS = {"=": "exact", "<": "lt", "<=": "lte", ">": "gt", ">=": "gte"}


def _field_expression(side: _Field, other: _Field) -> Any:
    """A field as an expression; a date-time compared with a date counts as its local day."""
    if side.kind == "datetime" and other.kind == "date":
        return TruncDate(side.lookup, tzinfo=timezone.get_current_timezone())
    return F(side.lookup)


def _q_fields(bound: _Bound) -> Q:
    # Both sides must be filled: an empty field compares with nothing, negated or not, the same
    # way in SQL and in memory (the guards keep SQL's third truth value out).
    assert isinstance(bound.value, _Other)
    left, right = bound.target, bound.value.target
    op = {"before": "<", "after": ">"}.get(bound.node.op, bound.node.op)
    guard = Q(**{f"{left.lookup}__isnull": False, f"{right.lookup}__isnull": False})
    lhs, rhs = _field_expression(left, right), _field_expression(right, left)
    if op == "!=":
        return guard & ~Q(Exact(lhs, rhs))
    return guard & Q(_EXPR_LOOKUPS[op](lhs, rhs))


def _q_compare(bound: _Bound, now: dt.datetime) -> Q:
    op, target, value = bound.node.op, bound.target, bound.value
    if isinstance(value, _Other):
        return _q_fields(bound)
    path = target.lookup
    if target.kind == "keyed":
        path = f"{path}__sort_order" if op in ORDERING else f"{path}__key"
    elif target.kind == "fk":
        path = f"{path}__pk"
    if op in UNARY:
        empty = Q(**{f"{target.lookup}__isnull": True})
        if target.kind == "text":
            empty |= Q(**{target.lookup: ""})
        return empty if op == "is_empty" else ~empty
    if op == "!=":
        return ~Q(**{path: value})
    if op in _Q_LOOKUPS:
        return Q(**{f"{path}__{_Q_LOOKUPS[op]}": value})
    if op == "in":
        return Q(**{f"{path}__in": value})
    if op == "not_in":
        return ~Q(**{f"{path}__in": value})
    if op == "contains":
        return Q(**{f"{path}__icontains": value})
    if op == "starts_with":
        return Q(**{f"{path}__istartswith": value})
    if op == "before":
        return Q(**{f"{path}__lt": value})
    if op == "after":
        return Q(**{f"{path}__gt": value})
    earliest, latest = _cutoff(bound, now)
    if op == "older_than":
        return Q(**{f"{path}__lt": earliest})
    return Q(**{f"{path}__gte": earliest, f"{path}__lte": latest})  # within


def _q(resolved: Any, now: dt.datetime) -> Q:
    if isinstance(resolved, _Bound):
        return _q_compare(resolved, now)
    if isinstance(resolved, _Rel):
        related = resolved.model._default_manager.filter(**{resolved.fk_name: OuterRef("pk")})
        if resolved.where is not None:
            related = related.filter(_q(resolved.where, now))
        if isinstance(resolved.node, Exists):
            return Q(ExistsExpr(related))
        counted = related.order_by().values(resolved.fk_name).annotate(n=CountAgg("pk")).values("n")
        total = Coalesce(Subquery(counted, output_field=models.IntegerField()), 0)
        node = resolved.node
        if node.op == "!=":
            return ~Q(Exact(total, node.value))
        return Q(_EXPR_LOOKUPS[node.op](total, node.value))
    kind, inner = resolved
    if kind is Not:
        return ~_q(inner, now)
    parts = [_q(item, now) for item in inner]
    combined = parts[0]
    for part in parts[1:]:
        combined = combined & part if kind is AllOf else combined | part
    return combined


def to_query(condition: Node, model: type[models.Model], *, now: dt.datetime | None = None) -> Q:
    """The condition as a Q for `model` (subqueries for count/exists, no annotations needed)."""
    return _q(_resolve(condition, model, None), now or timezone.now())


def filter_queryset[M: models.Model](
    qs: models.QuerySet[M], condition: Node, *, now: dt.datetime | None = None
) -> models.QuerySet[M]:
    """The records of `qs` that match the condition, in one query."""
    return qs.filter(to_query(condition, qs.model, now=now))


# matches -----------------------------------------------------------------------------------------

_MISSING = object()


def _read(instance: models.Model, target: _Field, op: str) -> Any:
    current: Any = instance
    for name in target.path[:-1]:
        current = getattr(current, name)
        if current is None:
            return None
    last = target.path[-1]
    if target.kind == "fk":
        return getattr(current, target.field.attname)
    value = getattr(current, last)
    if target.kind == "keyed":
        if value is None:
            return None
        return value.sort_order if op in ORDERING else value.key
    return value


def _ordered(left: Any, op: str, right: Any) -> bool:
    if left is None:
        return False
    if op == "=":
        return bool(left == right)
    if op == "<":
        return bool(left < right)
    if op == "<=":
        return bool(left <= right)
    if op == ">":
        return bool(left > right)
    return bool(left >= right)


def _day(value: Any, side: _Field, other: _Field) -> Any:
    if side.kind == "datetime" and other.kind == "date":
        return timezone.localtime(value).date()
    return value


def _match_fields(bound: _Bound, instance: models.Model) -> bool:
    assert isinstance(bound.value, _Other)
    left, right = bound.target, bound.value.target
    op = {"before": "<", "after": ">"}.get(bound.node.op, bound.node.op)
    a, b = _read(instance, left, "="), _read(instance, right, "=")
    if a is None or b is None:
        return False
    a, b = _day(a, left, right), _day(b, right, left)
    if op == "!=":
        return bool(a != b)
    return _ordered(a, op, b)


def _match_compare(bound: _Bound, instance: models.Model, now: dt.datetime) -> bool:
    op, target = bound.node.op, bound.target
    if isinstance(bound.value, _Other):
        return _match_fields(bound, instance)
    value = _read(instance, target, op)
    if op in UNARY:
        empty = value is None or (target.kind == "text" and value == "")
        return empty if op == "is_empty" else not empty
    if op == "!=":
        return bool(value != bound.value)
    if op in _Q_LOOKUPS:
        return _ordered(value, op, bound.value)
    if op == "in":
        return value is not None and value in bound.value
    if op == "not_in":
        return value is None or value not in bound.value
    if op in TEXT:
        if value is None:
            return False
        haystack, needle = str(value).lower(), str(bound.value).lower()
        return needle in haystack if op == "contains" else haystack.startswith(needle)
    if op == "before":
        return _ordered(value, "<", bound.value)
    if op == "after":
        return _ordered(value, ">", bound.value)
    earliest, latest = _cutoff(bound, now)
    if op == "older_than":
        return _ordered(value, "<", earliest)
    return _ordered(value, ">=", earliest) and _ordered(value, "<=", latest)


def _related(resolved: _Rel, instance: models.Model) -> list[models.Model]:
    """A saved instance's related records (its prefetch when it has one); none when unsaved."""
    if instance.pk is None:
        return []
    return list(getattr(instance, resolved.accessor).all())


def _match(resolved: Any, instance: models.Model, now: dt.datetime) -> bool:
    if isinstance(resolved, _Bound):
        return _match_compare(resolved, instance, now)
    if isinstance(resolved, _Rel):
        rows = _related(resolved, instance)
        if resolved.where is not None:
            rows = [row for row in rows if _match(resolved.where, row, now)]
        if isinstance(resolved.node, Exists):
            return bool(rows)
        node = resolved.node
        if node.op == "!=":
            return len(rows) != node.value
        return _ordered(len(rows), node.op, node.value)
    kind, inner = resolved
    if kind is Not:
        return not _match(inner, instance, now)
    if kind is AllOf:
        return all(_match(item, instance, now) for item in inner)
    return any(_match(item, instance, now) for item in inner)


def matches(condition: Node, instance: models.Model, *, now: dt.datetime | None = None) -> bool:
    """Whether one instance (saved or not) matches; related records are read from the database
    for saved instances (unsaved ones have none yet)."""
    return _match(_resolve(condition, type(instance), None), instance, now or timezone.now())
