"""Blocking keys: likely duplicates share a key; the keys are normalised."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from rapport.quality.dedupe.matching import (
    DEFAULT_THRESHOLD,
    company_from_row,
    company_keys_of,
    is_scan_key,
    keys_of,
    person_from_row,
    score_companies,
    score_people,
)


def test_a_person_has_email_phone_name_domain_and_address_keys() -> None:
    p = person_from_row(
        {
            "first_name": "Bob",
            "last_name": "Müller",
            "email": "Bob@Acme.de",
            "phone": "030 1234567",
            "country": "DE",
            "postal_code": "10115",
            "company": "Acme GmbH",
            "birthdate": date(1980, 5, 17),
        }
    )
    assert keys_of(p) == {
        "e:bob@acme.de",
        "p:+49301234567",
        "n:mull|r",
        "n:bob|m",
        "d:acme.de|mull",
        "a:10115|mull",
        "a:10115|bob",
        "l:bob|acme",
        "b:1980-05-17|r",
        "b:1980-05-17|m",
    }


def test_nickname_and_swapped_names_share_a_name_key() -> None:
    bob = keys_of(person_from_row({"first_name": "Bob", "last_name": "Smith"}))
    robert = keys_of(person_from_row({"first_name": "Robert", "last_name": "Smith"}))
    swapped = keys_of(person_from_row({"first_name": "Smith", "last_name": "Robert"}))
    assert bob & robert
    assert robert & swapped


def test_free_mail_domains_are_not_company_keys() -> None:
    p = person_from_row({"first_name": "A", "last_name": "Bee", "email": "a@gmail.com"})
    assert not any(key.startswith("d:") for key in keys_of(p))


def test_companies_match_on_name_without_legal_form_and_domain() -> None:
    a = company_from_row({"name": "Acme Inc.", "website": "https://www.acme.com/about"})
    b = company_from_row({"name": "ACME", "website": "acme.com"})
    assert company_keys_of(a) == company_keys_of(b) == {"k:acme", "d:acme.com"}
    match = score_companies(a, b)
    assert match.reasons == ["same name", "same web domain"]
    assert match.score > 0.9


def test_the_scan_skips_bare_name_keys_only() -> None:
    assert not is_scan_key("n:smit|j")
    assert all(is_scan_key(k) for k in ("e:a@b.de", "p:+4930", "d:acme.de|smit", "b:1980-01-01|j"))


def test_a_name_alone_never_reaches_the_threshold() -> None:
    """Why the scan may leave out bare name keys: the same name, with nothing else agreeing,
    scores below the threshold."""
    a = person_from_row({"first_name": "Jo", "last_name": "Smith", "email": "jo@gmail.com"})
    b = person_from_row({"first_name": "Jo", "last_name": "Smith", "email": "jo@yahoo.com"})
    assert score_people(a, b).score < DEFAULT_THRESHOLD


PEOPLE = st.fixed_dictionaries(
    {
        "first_name": st.sampled_from(["Anna", "Ann", "Robert", "Bob", "Jan", "Johann"]),
        "last_name": st.sampled_from(["Smith", "Smyth", "Müller", "Mueller", "Jansen"]),
        "email": st.sampled_from(["", "anna@acme.de", "anna@gmail.com", "bob@other.com"]),
        "phone": st.sampled_from(["", "030 1234567", "+49 30 7654321"]),
        "company": st.sampled_from(["", "Acme GmbH", "ACME", "Other Ltd"]),
        "website": st.sampled_from(["", "acme.de"]),
        "postal_code": st.sampled_from(["", "10115", "80331"]),
        "street": st.sampled_from(["", "Hauptstr. 1"]),
        "country": st.just("DE"),
        "birthdate": st.sampled_from([None, date(1980, 5, 17), date(1975, 1, 2)]),
    }
)


@settings(max_examples=400, deadline=None)
@given(PEOPLE, PEOPLE, st.booleans())
def test_the_scan_keys_pair_every_likely_duplicate_the_name_keys_pair(
    a: dict[str, Any], b: dict[str, Any], swap: bool
) -> None:
    """Leaving the bare name keys out loses no likely duplicate: whenever two people share a
    key and score as duplicates, they share a scan key."""
    if swap:
        b = {**b, "first_name": b["last_name"], "last_name": b["first_name"]}
    one, other = person_from_row(a), person_from_row(b)
    shared = keys_of(one) & keys_of(other)
    if shared and score_people(one, other).score >= DEFAULT_THRESHOLD:
        assert any(is_scan_key(key) for key in shared)


def test_name_keys_come_back_when_the_weights_let_a_name_nearly_alone_match() -> None:
    from dataclasses import replace

    from rapport.quality.dedupe.matching import DEFAULT_WEIGHTS, candidate_keys, name_keys_needed

    keys = {"n:lee|a", "e:ann@acme.com"}
    assert not name_keys_needed(DEFAULT_WEIGHTS, DEFAULT_THRESHOLD)
    assert candidate_keys(keys, DEFAULT_WEIGHTS, DEFAULT_THRESHOLD) == {"e:ann@acme.com"}
    generous = replace(DEFAULT_WEIGHTS, email_local=3.0)
    assert name_keys_needed(generous, DEFAULT_THRESHOLD)
    assert candidate_keys(keys, generous, DEFAULT_THRESHOLD) == keys
    assert name_keys_needed(DEFAULT_WEIGHTS, 0.5)  # a lower threshold, the same
