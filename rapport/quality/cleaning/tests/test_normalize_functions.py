"""Each normalisation function, table-driven: what people type and what is stored."""

from __future__ import annotations

import pytest

from rapport.quality.cleaning.normalize import (
    collapse_whitespace,
    company_key,
    country_code,
    domain_of,
    normalize_email,
    normalize_person_name,
    normalize_phone,
    person_name_key,
    split_person_name,
)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("  a   b\t c\n", "a b c"),
        ("", ""),
        ("\u00a0Acme\u00a0 Corp ", "Acme Corp"),
    ],
)
def test_whitespace_is_trimmed_and_collapsed(typed: str, stored: str) -> None:
    assert collapse_whitespace(typed) == stored


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (" Ada@Example.COM ", "Ada@example.com"),
        ("rita.moreno@ACME.example", "rita.moreno@acme.example"),
        ("demo@demo.rapport.test", "demo@demo.rapport.test"),
        ("", ""),
    ],
)
def test_an_email_keeps_its_local_part_and_lower_cases_its_domain(typed: str, stored: str) -> None:
    assert normalize_email(typed) == stored


@pytest.mark.parametrize("typed", ["ada", "ada@", "ada@@acme.com", "ada@acme", "a b@acme.com"])
def test_an_invalid_email_is_refused_with_a_reason(typed: str) -> None:
    with pytest.raises(ValueError, match="Enter a valid e-mail address"):
        normalize_email(typed)


@pytest.mark.parametrize(
    ("typed", "region", "stored"),
    [
        ("01 23 45 67 89", "FR", "+33123456789"),
        ("+44 20 7946 0958", None, "+442079460958"),
        ("(415) 555-2671", "US", "+14155552671"),
        ("030 1234567", "DE", "+49301234567"),
        ("+1 415 555 2671", "FR", "+14155552671"),
        ("", "FR", ""),
    ],
)
def test_a_phone_number_is_stored_in_e164(typed: str, region: str | None, stored: str) -> None:
    assert normalize_phone(typed, region) == stored


@pytest.mark.parametrize(
    ("typed", "region", "message"),
    [
        ("12", "FR", "not a valid phone number"),
        ("call me", "FR", "valid phone number"),
        ("01 23 45 67 89", None, "international form"),
    ],
)
def test_an_invalid_phone_number_is_refused(typed: str, region: str | None, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        normalize_phone(typed, region)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("JOHN MCDONALD", "John McDonald"),
        ("john mcdonald", "John McDonald"),
        ("jan van der berg", "Jan van der Berg"),
        ("PATRICK O'NEIL", "Patrick O'Neil"),
        ("mary-jane smith", "Mary-Jane Smith"),
        ("McDonald", "McDonald"),
        ("van der Berg", "van der Berg"),
        ("DeShawn  Jones", "DeShawn Jones"),
    ],
)
def test_a_person_name_is_cased_only_when_typed_in_one_case(typed: str, stored: str) -> None:
    assert normalize_person_name(typed) == stored


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("VAN DER BERG", "van der Berg"),
        ("LE", "Le"),
        ("o'neil", "O'Neil"),
        ("MCDONALD", "McDonald"),
    ],
)
def test_a_last_name_alone_keeps_its_particles_lower_case(typed: str, stored: str) -> None:
    assert normalize_person_name(typed, full_name=False) == stored


@pytest.mark.parametrize(
    ("typed", "parts"),
    [
        ("ada lovelace", ("Ada", "Lovelace")),
        ("Jan van der Berg", ("Jan", "van der Berg")),
        ("JOHN MCDONALD", ("John", "McDonald")),
        ("Grace Brewster Hopper", ("Grace Brewster", "Hopper")),
    ],
)
def test_a_full_name_typed_in_one_field_is_split(typed: str, parts: tuple[str, str]) -> None:
    assert split_person_name(typed) == parts


@pytest.mark.parametrize(
    ("first", "last", "key"),
    [("Zoë", "O'Neil", "zoe oneil"), ("ZOE", "ONEIL", "zoe oneil"), (" Ada ", "", "ada")],
)
def test_a_person_name_key_ignores_case_accents_and_punctuation(
    first: str, last: str, key: str
) -> None:
    assert person_name_key(first, last) == key


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("ACME Holding, Inc.", "acme holding"),
        ("Müller GmbH & Co. KG", "muller"),
        ("Nokia Oyj", "nokia"),
        ("Ferrari S.p.A.", "ferrari"),
        ("Maersk A/S", "maersk"),
        ("Siemens AG", "siemens"),
        ("Total SA", "total"),
        ("Capgemini SAS", "capgemini"),
        ("Philips B.V.", "philips"),
        ("Barclays plc", "barclays"),
        ("Acme Ltd.", "acme"),
        ("Acme LLC", "acme"),
        ("Volvo AB", "volvo"),
        ("Inc", "inc"),
    ],
)
def test_a_company_key_drops_legal_forms_and_punctuation(name: str, key: str) -> None:
    assert company_key(name) == key


@pytest.mark.parametrize(
    ("value", "domain"),
    [
        ("https://www.Acme.com/about", "acme.com"),
        ("ada@Mail.Acme.com", "mail.acme.com"),
        ("acme.com", "acme.com"),
        ("WWW.acme.co.uk:8080/x", "acme.co.uk"),
        ("", ""),
    ],
)
def test_the_domain_of_a_url_or_an_email(value: str, domain: str) -> None:
    assert domain_of(value) == domain


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Germany", "DE"),
        ("deu", "DE"),
        ("de", "DE"),
        ("USA", "US"),
        ("United Kingdom", "GB"),
        ("", ""),
    ],
)
def test_a_country_becomes_its_iso_code(typed: str, code: str) -> None:
    assert country_code(typed) == code


def test_a_country_nobody_knows_is_refused() -> None:
    with pytest.raises(ValueError, match="not a country"):
        country_code("Atlantis")
