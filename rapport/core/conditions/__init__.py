"""The conditions engine: one language for "which records" (see docs/conditions.md).

condition = parse('stage >= "proposal" and amount is empty', "opportunity")
filter_queryset(Opportunity.objects.all(), condition)   # set-based
matches(condition, opportunity)                          # one record, in memory
"""

from __future__ import annotations

from rapport.core import records
from rapport.core.conditions.ast import (
    AllOf,
    AnyOf,
    Compare,
    Condition,
    ConditionError,
    Count,
    Duration,
    Exists,
    FieldRef,
    Node,
    Not,
    from_json,
)
from rapport.core.conditions.evaluate import filter_queryset, matches, to_query, validate
from rapport.core.conditions.text import parse_text, to_text


def parse(text: str, record_type: str) -> Node:
    """Read the text form and check it against the record type's model (ConditionError with the
    position of the problem)."""
    try:
        model = records.get(record_type).model
    except KeyError:
        raise ConditionError(f"There is no record type “{record_type}”.") from None
    condition = parse_text(text)
    validate(condition, model, text)
    return condition


__all__ = [
    "AllOf",
    "AnyOf",
    "Compare",
    "Condition",
    "ConditionError",
    "Count",
    "Duration",
    "Exists",
    "FieldRef",
    "Node",
    "Not",
    "filter_queryset",
    "from_json",
    "matches",
    "parse",
    "parse_text",
    "to_query",
    "to_text",
    "validate",
]
