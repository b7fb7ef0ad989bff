"""Formula neutralisation: every dangerous leading character, and an exact inverse for imports."""

from __future__ import annotations

import pytest

from rapport.exports.neutralise import TRIGGERS, neutralise, unneutralise


@pytest.mark.parametrize("first", TRIGGERS)
def test_text_beginning_with_a_formula_character_gets_a_quote(first: str) -> None:
    assert neutralise(f"{first}cmd|' /C calc'!A0") == f"'{first}cmd|' /C calc'!A0"


@pytest.mark.parametrize("text", ["Acme", "", "'quoted", "'", "a=b", " =1", "0-1", "€=", "''x"])
def test_other_text_is_left_alone(text: str) -> None:
    assert neutralise(text) == text
    assert unneutralise(text) == text


@pytest.mark.parametrize(
    "text", ["=1+1", "+49 30 1234", "-5", "@SUM(A1)", "\tx", "\rx", "'=1", "''+1", "'", "'a", ""]
)
def test_unneutralise_gives_back_exactly_what_was_neutralised(text: str) -> None:
    assert unneutralise(neutralise(text)) == text


def test_a_value_that_already_looks_neutralised_survives_the_round_trip() -> None:
    # Without the extra quote, "'=1" would come back from an import as "=1".
    assert neutralise("'=1") == "''=1"
    assert unneutralise("''=1") == "'=1"
