"""The condition tree, its JSON form and its errors.

A condition is a small immutable tree: `AllOf`/`Any`/`Not` combine `Compare` (a field, an operator,
a value), `Count` (how many related records match) and `Exists` (whether any does). The JSON form
is what rules store and the API exchanges; `rapport.core.conditions.text` reads and prints the
text form people type.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

# Operators, by the name the JSON form uses; the text form spells some of them in words.
COMPARISONS = ("=", "!=", "<", "<=", ">", ">=")
UNARY = ("is_empty", "is_not_empty")
LISTS = ("in", "not_in")
TEXT = ("contains", "starts_with")
RELATIVE = ("older_than", "within")
DATES = ("before", "after")
OPERATORS = COMPARISONS + UNARY + LISTS + TEXT + RELATIVE + DATES
DURATION_UNITS = {"m": 60, "h": 3600, "d": 86400, "w": 604800}


class ConditionError(ValueError):
    """A condition that cannot be read or does not fit the record type.

    `position` is the offset in the text form (None for the JSON form); `line` and `column` are
    1-based when the text is known.
    """

    def __init__(self, message: str, position: int | None = None, text: str | None = None):
        self.message = message
        self.position = position
        self.line: int | None = None
        self.column: int | None = None
        if position is not None and text is not None:
            before = text[:position]
            self.line = before.count("\n") + 1
            self.column = position - (before.rfind("\n") + 1) + 1
        where = f" (line {self.line}, column {self.column})" if self.line is not None else ""
        super().__init__(f"{message}{where}")


@dataclass(frozen=True)
class Duration:
    """A span of time written like 3d: a number and a unit (m, h, d, w)."""

    amount: int
    unit: str

    @property
    def seconds(self) -> int:
        return self.amount * DURATION_UNITS[self.unit]

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}"

    @classmethod
    def parse(cls, text: str) -> Duration:
        number, unit = text[:-1], text[-1:]
        if unit not in DURATION_UNITS or not number.isdigit():
            raise ConditionError(f"“{text}” is not a duration such as 30m, 2h, 3d or 1w.")
        return cls(int(number), unit)


@dataclass(frozen=True)
class FieldRef:
    """Another field of the same record, compared with: `forecast_close_date >= created_at`."""

    field: str

    def __str__(self) -> str:
        return self.field


Value = str | int | Decimal | bool | Duration | FieldRef | tuple[Any, ...]


@dataclass(frozen=True)
class Node(ABC):
    """A node of a condition; every kind says how it is stored."""

    # Where the node starts in the text it was parsed from (not part of its identity).
    position: int | None = field(default=None, compare=False, kw_only=True, repr=False)

    @abstractmethod
    def to_json(self) -> dict[str, Any]:
        """The node in the JSON form (see docs/conditions.md)."""


@dataclass(frozen=True)
class AllOf(Node):
    items: tuple[Node, ...]

    def to_json(self) -> dict[str, Any]:
        return {"all": [item.to_json() for item in self.items]}


@dataclass(frozen=True)
class AnyOf(Node):
    items: tuple[Node, ...]

    def to_json(self) -> dict[str, Any]:
        return {"any": [item.to_json() for item in self.items]}


@dataclass(frozen=True)
class Not(Node):
    item: Node

    def to_json(self) -> dict[str, Any]:
        return {"not": self.item.to_json()}


@dataclass(frozen=True)
class Compare(Node):
    field: str
    op: str
    value: Value | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"field": self.field, "op": self.op}
        if self.op not in UNARY:
            data["value"] = _value_to_json(self.value)
        return data


@dataclass(frozen=True)
class Count(Node):
    relation: str
    where: Node | None
    op: str
    value: int

    def to_json(self) -> dict[str, Any]:
        inner: dict[str, Any] = {"relation": self.relation}
        if self.where is not None:
            inner["where"] = self.where.to_json()
        return {"count": inner, "op": self.op, "value": self.value}


@dataclass(frozen=True)
class Exists(Node):
    relation: str
    where: Node | None

    def to_json(self) -> dict[str, Any]:
        inner: dict[str, Any] = {"relation": self.relation}
        if self.where is not None:
            inner["where"] = self.where.to_json()
        return {"exists": inner}


Condition = Node


def _value_to_json(value: Any) -> Any:
    if isinstance(value, FieldRef):
        return {"field": value.field}
    if isinstance(value, Duration):
        return str(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, tuple):
        return [_value_to_json(item) for item in value]
    return value


def _value_from_json(value: Any, op: str, where: str) -> Any:
    if op in RELATIVE:
        if not isinstance(value, str):
            raise ConditionError(f"{where}: {op} takes a duration such as 3d.")
        return Duration.parse(value)
    if op in LISTS:
        if not isinstance(value, list) or not value:
            raise ConditionError(f"{where}: {op} takes a non-empty list of values.")
        return tuple(_scalar_from_json(item, where) for item in value)
    if isinstance(value, dict):
        if op not in COMPARISONS + DATES or not isinstance(value.get("field"), str):
            raise ConditionError(f"{where}: only = != < <= > >= before after compare two fields.")
        return FieldRef(value["field"])
    return _scalar_from_json(value, where)


def _scalar_from_json(value: Any, where: str) -> Any:
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return Decimal(str(value))
    raise ConditionError(f"{where}: {value!r} is not a value a condition can compare with.")


def from_json(data: Any, where: str = "condition") -> Node:
    """Build a condition from its JSON form (ConditionError naming the place when malformed)."""
    if not isinstance(data, dict):
        raise ConditionError(f"{where}: expected an object.")
    if "all" in data or "any" in data:
        key = "all" if "all" in data else "any"
        items = data[key]
        if not isinstance(items, list) or not items:
            raise ConditionError(f"{where}.{key}: expected a non-empty list of conditions.")
        nodes = tuple(from_json(item, f"{where}.{key}[{i}]") for i, item in enumerate(items))
        if len(nodes) == 1:
            return nodes[0]
        return AllOf(nodes) if key == "all" else AnyOf(nodes)
    if "not" in data:
        return Not(from_json(data["not"], f"{where}.not"))
    if "count" in data or "exists" in data:
        key = "count" if "count" in data else "exists"
        inner = data[key]
        if not isinstance(inner, dict) or not isinstance(inner.get("relation"), str):
            raise ConditionError(f"{where}.{key}: expected {{'relation': …, 'where': …}}.")
        sub = inner.get("where")
        where_node = None if sub is None else from_json(sub, f"{where}.{key}.where")
        if key == "exists":
            return Exists(inner["relation"], where_node)
        op, value = data.get("op"), data.get("value")
        if op not in COMPARISONS:
            raise ConditionError(f"{where}.op: a count compares with = != < <= > or >=.")
        if not isinstance(value, int) or isinstance(value, bool):
            raise ConditionError(f"{where}.value: a count compares with a whole number.")
        return Count(inner["relation"], where_node, op, value)
    if "field" in data:
        name, op = data["field"], data.get("op")
        if not isinstance(name, str) or not name:
            raise ConditionError(f"{where}.field: expected a field name.")
        if op not in OPERATORS:
            raise ConditionError(f"{where}.op: unknown operator {op!r}.")
        if op in UNARY:
            return Compare(name, op)
        if "value" not in data or data["value"] is None:
            raise ConditionError(f"{where}.value: {name} {op} needs a value.")
        return Compare(name, op, _value_from_json(data["value"], op, f"{where}.value"))
    raise ConditionError(f"{where}: expected all, any, not, count, exists or field.")
