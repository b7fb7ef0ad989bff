"""The text form reads what people type, prints it back the same way, and agrees with the JSON
form."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from rapport.core.conditions import (
    AllOf,
    AnyOf,
    Compare,
    Count,
    Duration,
    Node,
    Not,
    from_json,
    parse_text,
    to_text,
)
from rapport.core.tests.test_conditions_agree import conditions

EXAMPLE = (
    'status = "new" and created_at older_than 1d and count(activities where kind = "call") < 5'
)
EXAMPLE_JSON = {
    "all": [
        {"field": "status", "op": "=", "value": "new"},
        {"field": "created_at", "op": "older_than", "value": "1d"},
        {
            "count": {
                "relation": "activities",
                "where": {"field": "kind", "op": "=", "value": "call"},
            },
            "op": "<",
            "value": 5,
        },
    ]
}


def test_the_example_reads_as_the_documented_tree() -> None:
    assert parse_text(EXAMPLE) == AllOf(
        (
            Compare("status", "=", "new"),
            Compare("created_at", "older_than", Duration(1, "d")),
            Count("activities", Compare("kind", "=", "call"), "<", 5),
        )
    )


def test_the_example_text_and_json_forms_are_the_same_condition() -> None:
    assert parse_text(EXAMPLE).to_json() == EXAMPLE_JSON
    assert to_text(from_json(EXAMPLE_JSON)) == EXAMPLE


def test_every_operator_is_spelled_in_words_and_read_back() -> None:
    text = (
        'amount is empty or amount is not empty or stage in ["proposal", "negotiation"] '
        'or source not in ["web"] or name contains "ab" or name starts with "x" '
        'or closed_at within 2h or closed_at before "2025-01-31" or closed_at after "2025-01-31" '
        'or not probability >= 50.5 or exists(activities) or account.industry != "retail" '
        "or is_won = true"
    )
    condition = parse_text(text)
    assert isinstance(condition, AnyOf)
    assert len(condition.items) == 13
    assert to_text(condition) == text
    assert condition.items[9] == Not(Compare("probability", ">=", Decimal("50.5")))


def test_and_binds_tighter_than_or_and_parentheses_group() -> None:
    loose = parse_text("a = 1 or b = 2 and c = 3")
    grouped = parse_text("(a = 1 or b = 2) and c = 3")
    assert isinstance(loose, AnyOf)
    assert isinstance(loose.items[1], AllOf)
    assert isinstance(grouped, AllOf)
    assert isinstance(grouped.items[0], AnyOf)
    assert to_text(grouped) == "(a = 1 or b = 2) and c = 3"


@given(conditions)
def test_printing_then_reading_gives_the_same_condition(condition: Node) -> None:
    assert parse_text(to_text(condition)) == condition


@given(conditions)
def test_json_then_back_gives_the_same_condition(condition: Node) -> None:
    assert from_json(condition.to_json()) == condition


@given(st.text(max_size=20))
def test_any_quoted_text_survives_the_round_trip(value: str) -> None:
    condition = Compare("name", "contains", value)
    assert parse_text(to_text(condition)) == condition
