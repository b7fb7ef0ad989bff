"""Search shows only what the searcher may see: records in their scope, of types their role may
read, and never through or with a field hidden from their role."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from rapport.access.models import Role, User
from rapport.access.permissions import field_permission_set, forget
from rapport.core.search import search
from rapport.customers.models import Contact
from rapport.fulltext import search_queryset
from rapport.fulltext.tests import records

RECORD_KINDS = {"account", "contact", "lead", "opportunity"}


def record_hits(user: User, query: str) -> list[tuple[str, str]]:
    return [(h.kind, h.title) for h in search(user=user, query=query) if h.kind in RECORD_KINDS]


def hide(role_key: str, record_type: str, field_name: str) -> None:
    field_permission_set(
        acting_user=None,
        role=Role.objects.get(key=role_key),
        record_type=record_type,
        field_name=field_name,
        access="hidden",
    )


def test_a_rep_does_not_find_another_reps_records(
    rep: User, make_user: Callable[..., User], api_client: APIClient
) -> None:
    other = make_user()  # another rep, no shared team
    acme = records.account(other, "Pendant Publishing")
    records.contact(other, "Peter", "Pendant", account=acme)
    records.lead(other, "Pia", "Pendant")
    records.opportunity(other, "Pendant deal", on=acme)
    records.contact(rep, "Paula", "Pendant")

    assert record_hits(rep, "pendant") == [("contact", "Paula Pendant")]
    assert len(record_hits(other, "pendant")) == 4
    api_client.force_authenticate(rep)
    body = api_client.get("/api/v1/search/", {"q": "pendant"}).json()
    assert [r["title"] for r in body["results"] if r["kind"] in RECORD_KINDS] == ["Paula Pendant"]


def test_a_role_without_read_access_finds_none_of_the_type(
    rep: User, make_user: Callable[..., User]
) -> None:
    agent = make_user(role="service_agent")  # reads accounts and contacts, not leads
    records.lead(rep, "Lou", "Leadbetter")
    records.contact(rep, "Lou", "Leadbetter")

    assert record_hits(agent, "leadbetter") == [("contact", "Lou Leadbetter")]


@pytest.fixture
def email_hidden_from_reps(rep: User) -> User:
    hide("sales_rep", "contact", "email")
    hide("sales_rep", "contact", "phone")
    forget(rep)
    return rep


def test_a_hidden_field_is_not_searched(
    email_hidden_from_reps: User, make_user: Callable[..., User]
) -> None:
    rep = email_hidden_from_reps
    records.contact(rep, "Anna", "Secret", email="anna@hushhush.example", phone="555 0199")
    manager = make_user(role="administrator")

    assert record_hits(rep, "hushhush") == []
    assert record_hits(rep, "0199") == []
    assert record_hits(manager, "hushhush") == [("contact", "Anna Secret")]
    assert search_queryset(Contact.objects.all(), "hushhush", user=rep).count() == 0
    assert search_queryset(Contact.objects.all(), "hushhush", user=manager).count() == 1


def test_a_word_found_in_a_visible_field_still_matches(email_hidden_from_reps: User) -> None:
    rep = email_hidden_from_reps
    records.contact(rep, "Anna", "Secret", email="anna@hushhush.example")

    assert record_hits(rep, "anna secret") == [("contact", "Anna Secret")]


def test_a_hidden_field_is_not_shown_in_the_hit(email_hidden_from_reps: User) -> None:
    rep = email_hidden_from_reps
    records.contact(rep, "Anna", "Secret", job_title="CFO", email="anna@hushhush.example")

    (hit,) = [h for h in search(user=rep, query="secret") if h.kind == "contact"]

    assert hit.subtitle == "CFO"
