"""search_queryset finds rows by word starts, every word, any case and accents, on any field
the type indexes, and keeps the queryset's other filters."""

from __future__ import annotations

import pytest

from rapport.access.models import User
from rapport.customers.models import Account, Contact
from rapport.fulltext import is_registered, search_queryset
from rapport.fulltext.tests import records
from rapport.leads.models import Lead
from rapport.pipeline.models import Opportunity


def names(queryset: object) -> list[str]:
    return sorted(str(obj) for obj in queryset)  # type: ignore[attr-defined]


@pytest.fixture
def people(rep: User) -> None:
    records.contact(rep, "Anna", "Schmidt", email="anna@acme.example", job_title="Chief Buyer")
    records.contact(rep, "José", "Álvarez", phone="+34 911 234 567")
    records.contact(rep, "Annette", "Smith", email="a.smith@globex.example")
    records.contact(rep, "Bob", "Goldsmith")


def test_a_word_start_finds_the_rows_whose_words_start_with_it(people: None) -> None:
    assert names(search_queryset(Contact.objects.all(), "schm")) == ["Anna Schmidt"]
    assert names(search_queryset(Contact.objects.all(), "ann")) == ["Anna Schmidt", "Annette Smith"]


def test_every_word_must_match(people: None) -> None:
    assert names(search_queryset(Contact.objects.all(), "ann smi")) == ["Annette Smith"]
    assert names(search_queryset(Contact.objects.all(), "anna smith")) == []


def test_case_and_accents_are_ignored_both_ways(people: None) -> None:
    assert names(search_queryset(Contact.objects.all(), "JOSE alvarez")) == ["José Álvarez"]
    assert names(search_queryset(Contact.objects.all(), "Schmídt")) == ["Anna Schmidt"]


def test_email_phone_and_job_title_are_searched(people: None) -> None:
    assert names(search_queryset(Contact.objects.all(), "globex")) == ["Annette Smith"]
    assert names(search_queryset(Contact.objects.all(), "911")) == ["José Álvarez"]
    assert names(search_queryset(Contact.objects.all(), "buyer")) == ["Anna Schmidt"]


def test_two_letters_find_word_starts(people: None) -> None:
    assert names(search_queryset(Contact.objects.all(), "go")) == ["Bob Goldsmith"]


def test_the_other_filters_of_the_queryset_still_apply(people: None, make_user: object) -> None:
    other = make_user()  # type: ignore[operator]
    records.contact(other, "Anna", "Schmidt")
    mine = Contact.objects.filter(owner__email="rep@example.com")
    assert search_queryset(mine, "anna schmidt").count() == 1
    assert search_queryset(Contact.objects.all(), "anna schmidt").count() == 2


def test_records_in_the_recycle_bin_are_not_found(people: None) -> None:
    Contact.objects.filter(last_name="Schmidt").update(deleted_at="2026-01-01T00:00:00Z")
    assert names(search_queryset(Contact.objects.all(), "schmidt")) == []


def test_accounts_leads_and_opportunities_are_indexed_too(rep: User) -> None:
    acme = records.account(rep, "Acme Corporation", city="Zürich", website="https://acme.example")
    records.account(rep, "Globex")
    records.lead(rep, "Lena", "Lead", company="Initech", email="lena@initech.example")
    records.opportunity(rep, "Acme renewal 2027", on=acme)

    assert names(search_queryset(Account.objects.all(), "zurich")) == ["Acme Corporation"]
    assert names(search_queryset(Account.objects.all(), "acme.example")) == ["Acme Corporation"]
    assert names(search_queryset(Lead.objects.all(), "initech")) == ["Lena Lead (Initech)"]
    assert names(search_queryset(Opportunity.objects.all(), "renewal 2027")) == [
        "Acme renewal 2027"
    ]


def test_only_the_indexed_record_types_are_registered() -> None:
    assert all(is_registered(m) for m in (Account, Contact, Lead, Opportunity))
    assert not is_registered(User)
    with pytest.raises(LookupError):
        search_queryset(User.objects.all(), "anna")
