"""On PostgreSQL a search either collects its few matches first or lets the planner walk an
index (rapport.fulltext.query.FENCE_BELOW); both must find exactly the same rows."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection

from rapport.access.models import Role, User
from rapport.access.permissions import field_permission_set, forget
from rapport.customers.models import Contact
from rapport.fulltext import query as fulltext_query
from rapport.fulltext import registry, search_queryset
from rapport.fulltext.query import match
from rapport.fulltext.tests import records

SEARCHES = ["schm", "anna schmidt", "acme", "o'brien", "555", "zzz", "anna.schmidt@acme"]


@pytest.fixture
def people(rep: User, make_user: Callable[..., User]) -> User:
    other = make_user()
    records.contact(rep, "Anna", "Schmidt", email="anna.schmidt@acme.example", phone="555 12")
    records.contact(rep, "Anne", "Schmitt", job_title="Acme liaison")
    records.contact(other, "Liam", "O'Brien", email="liam@acme.example")
    records.contact(other, "Anna", "Schmidt")
    Contact.objects.filter(last_name="Schmitt").update(deleted_at="2026-01-01T00:00:00Z")
    return other


def found_by_both_plans(monkeypatch: pytest.MonkeyPatch, make: Callable[..., list[int]]) -> None:
    monkeypatch.setattr(fulltext_query, "FENCE_BELOW", 10**9)  # always collect first
    collected = make()
    monkeypatch.setattr(fulltext_query, "FENCE_BELOW", -1)  # always leave it to the planner
    walked = make()
    assert collected == walked


def test_both_plans_find_the_same_rows(people: User, monkeypatch: pytest.MonkeyPatch) -> None:
    assert search_queryset(Contact.objects.filter(owner=people), "schm").count() == 1
    for words in SEARCHES:
        found_by_both_plans(
            monkeypatch,
            lambda words=words: sorted(
                search_queryset(Contact.objects.filter(owner=people), words).values_list(
                    "pk", flat=True
                )
            ),
        )


def test_both_plans_leave_hidden_fields_out(
    people: User, rep: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    field_permission_set(
        acting_user=None,
        role=Role.objects.get(key="sales_rep"),
        record_type="contact",
        field_name="email",
        access="hidden",
    )
    forget(rep)
    for words in SEARCHES:
        found_by_both_plans(
            monkeypatch,
            lambda words=words: sorted(
                search_queryset(Contact.objects.all(), words, user=rep).values_list("pk", flat=True)
            ),
        )
    assert search_queryset(Contact.objects.all(), "acme", user=rep).count() == 0


def test_a_rare_word_is_selective(people: User) -> None:
    assert match(Contact.objects.all(), "o'brien").selective
    if connection.vendor == "postgresql":
        assert (
            fulltext_query.estimated_matches(
                registry.get("contact"), fulltext_query.tsquery(["o'brien"])
            )
            < fulltext_query.FENCE_BELOW
        )
