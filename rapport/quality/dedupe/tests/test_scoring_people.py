"""Scoring two people: every signal for and against, with its reason."""

from __future__ import annotations

from datetime import date

from rapport.quality.dedupe.matching import (
    DEFAULT_THRESHOLD,
    person_from_row,
    score_people,
)


def test_the_same_email_and_name_is_a_likely_duplicate() -> None:
    a = person_from_row({"first_name": "Ann", "last_name": "Lee", "email": "ann@acme.com"})
    b = person_from_row({"first_name": "ann", "last_name": "LEE", "email": " Ann@Acme.com"})
    match = score_people(a, b)
    assert match.score >= DEFAULT_THRESHOLD
    assert match.reasons == ["same e-mail", "same name", "same company"]


def test_a_nickname_with_the_same_phone_is_a_likely_duplicate() -> None:
    a = person_from_row({"first_name": "Bob", "last_name": "Smith", "phone": "+1 415 555 0100"})
    b = person_from_row(
        {"first_name": "Robert", "last_name": "Smith", "phone": "(415) 555-0100", "country": "US"}
    )
    match = score_people(a, b)
    assert match.score >= DEFAULT_THRESHOLD
    assert "same name (bob / robert)" in match.reasons
    assert "same phone" in match.reasons


def test_first_and_last_name_swapped_is_noticed() -> None:
    a = person_from_row({"first_name": "Chen", "last_name": "Wei", "email": "w@x.org"})
    b = person_from_row({"first_name": "Wei", "last_name": "Chen", "email": "w@x.org"})
    assert "same name, first and last swapped" in score_people(a, b).reasons
    assert score_people(a, b).score >= DEFAULT_THRESHOLD


def test_the_same_name_alone_is_not_enough() -> None:
    a = person_from_row({"first_name": "John", "last_name": "Smith"})
    b = person_from_row({"first_name": "John", "last_name": "Smith"})
    assert score_people(a, b).score < DEFAULT_THRESHOLD


def test_different_birthdates_outweigh_a_shared_email() -> None:
    common = {"first_name": "Li", "last_name": "Wang", "email": "family@wang.net"}
    a = person_from_row({**common, "birthdate": date(1980, 1, 2)})
    b = person_from_row({**common, "birthdate": "2010-05-06"})
    match = score_people(a, b)
    assert match.score < DEFAULT_THRESHOLD
    assert "different birthdates" in match.reasons


def test_another_first_name_at_the_same_address_is_a_household() -> None:
    address = {"last_name": "Meyer", "street": "12 Main Street", "postal_code": "10115"}
    a = person_from_row({**address, "first_name": "Anna", "phone": "+49 30 1234567"})
    b = person_from_row({**address, "first_name": "Karl", "phone": "+49 30 1234567"})
    match = score_people(a, b)
    assert match.score < DEFAULT_THRESHOLD
    assert "household: another person at the same address" in match.reasons


def test_the_same_email_name_at_another_company_counts_a_little() -> None:
    a = person_from_row({"first_name": "Eva", "last_name": "Berg", "email": "eva.berg@old.se"})
    b = person_from_row({"first_name": "Eva", "last_name": "Berg", "email": "eva.berg@new.se"})
    match = score_people(a, b)
    assert "same e-mail name at another domain" in match.reasons
    assert (
        match.score
        > score_people(a, person_from_row({"first_name": "Eva", "last_name": "Berg"})).score
    )
