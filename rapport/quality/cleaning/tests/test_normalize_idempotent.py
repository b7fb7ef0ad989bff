"""Normalising twice changes nothing: a stored value is already in its normal form."""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from rapport.quality.cleaning.normalize import (
    collapse_whitespace,
    company_key,
    domain_of,
    normalize_person_name,
    normalize_phone,
    person_name_key,
)

names = st.text(
    alphabet=st.characters(categories=["L", "Zs"], include_characters="'-."), max_size=40
)


@given(names)
def test_whitespace_collapsing_is_idempotent(value: str) -> None:
    once = collapse_whitespace(value)
    assert collapse_whitespace(once) == once


@given(names)
def test_person_name_casing_is_idempotent(value: str) -> None:
    once = normalize_person_name(value)
    assert normalize_person_name(once) == once


@given(names)
def test_match_keys_are_idempotent(value: str) -> None:
    assert company_key(company_key(value)) == company_key(value)
    assert person_name_key(person_name_key(value)) == person_name_key(value)


@given(st.from_regex(r"[a-z]{1,10}\.(com|de|fr|co\.uk)", fullmatch=True))
def test_the_domain_of_a_domain_is_itself(domain: str) -> None:
    assume(not domain.startswith("www."))  # "www." in front of a host is dropped on purpose
    assert domain_of(domain_of(f"https://www.{domain}/x")) == domain


@given(st.integers(min_value=100_000_000, max_value=999_999_999))
def test_an_e164_number_normalises_to_itself(subscriber: int) -> None:
    try:
        once = normalize_phone(f"+33 {subscriber}")
    except ValueError:
        return  # not a valid French number: nothing to compare
    assert normalize_phone(once) == once
    assert normalize_phone(once, "US") == once
