"""Conditions that cannot be read, or do not fit the record type, are refused with a message that
names the field and where in the text the problem is — never a stack trace."""

from __future__ import annotations

import pytest

from rapport.core.conditions import ConditionError, from_json, parse


def _error(text: str, record_type: str = "opportunity") -> ConditionError:
    with pytest.raises(ConditionError) as caught:
        parse(text, record_type)
    return caught.value


@pytest.mark.django_db
def test_an_unknown_field_is_named_with_its_line_and_column() -> None:
    error = _error('stage = "proposal"\n  and colour = "red"')
    assert "colour" in error.message
    assert (error.line, error.column, error.position) == (2, 7, 25)
    assert "line 2, column 7" in str(error)


@pytest.mark.django_db
def test_a_picklist_value_that_does_not_exist_is_named() -> None:
    error = _error('amount > 5 and source = "carrier_pigeon"')
    assert "source" in error.message
    assert "carrier_pigeon" in error.message
    assert error.position == 15


@pytest.mark.django_db
def test_a_stage_that_does_not_exist_is_named() -> None:
    assert "nowhere" in _error('stage >= "nowhere"').message


@pytest.mark.django_db
def test_a_value_of_the_wrong_type_is_refused() -> None:
    assert "number" in _error('amount = "lots"').message
    assert "date" in _error('forecast_close_date before "soon"').message
    assert "cannot be compared" in _error("amount contains 5").message
    assert "cannot be compared" in _error("name older_than 3d").message


@pytest.mark.django_db
def test_a_choice_field_takes_only_its_choices() -> None:
    error = _error('exists(activities where kind = "carrier")')
    assert "kind" in error.message
    assert "call" in error.message


@pytest.mark.django_db
def test_an_unknown_relation_is_named() -> None:
    assert "invoices" in _error("count(invoices) > 1").message


@pytest.mark.django_db
def test_a_related_list_cannot_be_compared_like_a_field() -> None:
    assert "count()" in _error('activities = "x"').message


def test_broken_syntax_points_at_the_offending_word() -> None:
    error = _error("amount > and stage = 1")
    assert error.position == 9
    assert "Expected a value" in error.message
    assert _error("amount >").message.endswith("“the end”.")
    assert _error("(amount > 1").position == 11
    assert "Unexpected character" in _error("amount > 1 & stage").message


def test_an_unknown_record_type_is_refused() -> None:
    assert "spaceship" in _error("a = 1", "spaceship").message


def test_a_malformed_json_condition_names_its_place() -> None:
    with pytest.raises(ConditionError, match=r"condition\.all\[1\]\.op"):
        from_json({"all": [{"field": "a", "op": "=", "value": 1}, {"field": "b", "op": "~"}]})
    with pytest.raises(ConditionError, match="needs a value"):
        from_json({"field": "a", "op": "="})
