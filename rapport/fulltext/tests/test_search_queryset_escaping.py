"""Search text is words, never syntax: FTS5 operators and LIKE wildcards are taken literally."""

from __future__ import annotations

import pytest

from rapport.access.models import User
from rapport.customers.models import Contact
from rapport.fulltext import search_queryset
from rapport.fulltext.query import fts5_query, runs_of
from rapport.fulltext.tests import records


@pytest.fixture
def people(rep: User) -> None:
    records.contact(rep, "Anna", "Schmidt")
    records.contact(rep, "Near", "Ostrow", job_title="Head of R&D")
    records.contact(rep, "Liam", "O'Brien", email="liam_obrien@example.com")


@pytest.mark.parametrize(
    "hostile",
    [
        '"',
        '"anna',
        'anna"',
        "*",
        "anna*",
        "%",
        "_",
        "%%%",
        "NEAR(",
        "NEAR(anna schmidt",
        "anna OR",
        "OR anna",
        "AND",
        "NOT anna",
        "-anna",
        "first_name:anna",
        "{first_name}: anna",
        "^anna",
        "anna + schmidt",
        "(anna",
        "\\",
        "'; DROP TABLE customers_contact; --",
    ],
)
def test_hostile_search_text_never_fails(people: None, hostile: str) -> None:
    list(search_queryset(Contact.objects.all(), hostile))  # no syntax error, no crash
    assert Contact.objects.count() == 3


def test_wildcards_do_not_match_everything(people: None) -> None:
    assert search_queryset(Contact.objects.all(), "%").count() == 0
    assert search_queryset(Contact.objects.all(), "_").count() == 0
    assert search_queryset(Contact.objects.all(), "a%a").count() == 0
    assert search_queryset(Contact.objects.all(), "a_n").count() == 0


def test_operators_are_searched_as_words(people: None) -> None:
    assert [c.last_name for c in search_queryset(Contact.objects.all(), "NEAR(")] == ["Ostrow"]
    assert [c.last_name for c in search_queryset(Contact.objects.all(), "anna OR")] == []
    assert [c.last_name for c in search_queryset(Contact.objects.all(), '"anna"')] == ["Schmidt"]
    assert [c.last_name for c in search_queryset(Contact.objects.all(), "anna*")] == ["Schmidt"]


def test_punctuation_inside_a_word_still_finds_it(people: None) -> None:
    assert [c.last_name for c in search_queryset(Contact.objects.all(), "o'brien")] == ["O'Brien"]
    assert [c.last_name for c in search_queryset(Contact.objects.all(), "r&d")] == ["Ostrow"]


def test_a_search_without_any_word_finds_nothing(people: None) -> None:
    assert search_queryset(Contact.objects.all(), '  * % " ').count() == 0
    assert search_queryset(Contact.objects.all(), "").count() == 0


def test_the_fts5_expression_quotes_every_word() -> None:
    assert fts5_query(['an"na', "NEAR("]) == '"an""na"* AND "NEAR("*'
    assert fts5_query(["x"], ["first_name", "email"]) == '{first_name email} : "x"*'


def test_only_runs_of_letters_and_digits_reach_the_tsquery() -> None:
    assert runs_of(["anna", "o'brien", "50%_off", "\\'", "a\u2474b"]) == [
        ["anna"],
        ["o", "brien"],
        ["50", "off"],
        ["a", "1", "b"],
    ]


def test_letters_that_fold_into_punctuation_are_searched_as_text(rep: User) -> None:
    records.contact(rep, "Anna", "Schmidt")
    # Modifier colon, parenthesised digit, titlecase digraph, ligature, fraction, apostrophe.
    for word in ("a\u02d0b", "a\u2474b", "\u01c5x", "\ufb01x", "\u00bd", "\u02bcanna"):
        list(search_queryset(Contact.objects.all(), word))  # no syntax error
    assert search_queryset(Contact.objects.all(), "schm\u00edd").count() == 1
