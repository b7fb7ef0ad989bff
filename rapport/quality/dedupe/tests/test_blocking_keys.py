"""Blocking keys: likely duplicates share a key; the keys are normalised."""

from __future__ import annotations

from rapport.quality.dedupe.matching import (
    company_from_row,
    company_keys_of,
    keys_of,
    person_from_row,
    score_companies,
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
        }
    )
    assert keys_of(p) == {
        "e:bob@acme.de",
        "p:+49301234567",
        "n:mull|r",
        "n:bob|m",
        "d:acme.de|mull",
        "a:10115|mull",
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
