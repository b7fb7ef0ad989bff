"""The search box finds accounts, contacts, leads and opportunities the searcher may see, best
matches first, with a constant number of queries per record type."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from rapport.access.models import Team, User
from rapport.core.search import search
from rapport.fulltext.tests import records

RECORD_KINDS = {"account", "contact", "lead", "opportunity"}


def kinds_and_titles(user: User, query: str) -> list[tuple[str, str]]:
    return [
        (hit.kind, hit.title) for hit in search(user=user, query=query) if hit.kind in RECORD_KINDS
    ]


def test_it_finds_every_record_type_by_its_fields(rep: User) -> None:
    acme = records.account(rep, "Vandelay Industries", city="New York")
    records.contact(rep, "Art", "Vandelay", account=acme, job_title="Importer")
    records.lead(rep, "Kel", "Varnsen", company="Vandelay Imports")
    records.opportunity(rep, "Vandelay latex deal", on=acme)

    assert kinds_and_titles(rep, "vandelay") == [
        ("account", "Vandelay Industries"),
        ("contact", "Art Vandelay"),
        ("lead", "Kel Varnsen"),
        ("opportunity", "Vandelay latex deal"),
    ]


def test_the_newest_hits_come_first_whichever_field_matched(rep: User) -> None:
    records.contact(rep, "Bob", "Goldsmith", email="smith.b@example.com")
    records.contact(rep, "Ann", "Smith")
    records.contact(rep, "Smith", "Adams")

    titles = [t for k, t in kinds_and_titles(rep, "smith") if k == "contact"]

    assert titles == ["Smith Adams", "Ann Smith", "Bob Goldsmith"]


def test_a_hit_carries_a_subtitle_that_tells_namesakes_apart(rep: User) -> None:
    acme = records.account(rep, "Acme")
    records.contact(rep, "Anna", "Schmidt", account=acme, job_title="CFO", email="a@acme.example")

    (hit,) = [h for h in search(user=rep, query="anna schmidt") if h.kind == "contact"]

    assert hit.kind_label == "Contact"
    assert hit.subtitle == "CFO · Acme · a@acme.example"


def test_the_limit_applies_per_record_type(rep: User) -> None:
    for n in range(7):
        records.contact(rep, f"Anna{n}", "Schmidt")
        records.lead(rep, f"Anna{n}", "Schmidt")

    hits = search(user=rep, query="schmidt", limit_per_kind=3)

    assert [h.kind for h in hits if h.kind in RECORD_KINDS] == ["contact"] * 3 + ["lead"] * 3


def make_zebras(owner: User, numbers: range) -> None:
    for n in numbers:
        account = records.account(owner, f"Zebra{n} Holdings")
        records.contact(owner, "Zed", f"Zebra{n}", account=account)
        records.lead(owner, "Zed", f"Zebra{n}")
        records.opportunity(owner, f"Zebra{n} deal", on=account)


def queries_and_hits(user: User) -> tuple[int, int]:
    fresh = User.objects.get(pk=user.pk)  # rules load once per request, as in a view
    with CaptureQueriesContext(connection) as captured:
        hits = search(user=fresh, query="zebra", limit_per_kind=20)
    return len(captured), len([h for h in hits if h.kind in RECORD_KINDS])


def test_the_query_count_is_constant_in_the_number_of_hits(
    rep: User, make_user: Callable[..., User], team: Team
) -> None:
    manager = make_user(role="sales_manager", team=team)  # sees the team: a join on owners
    rep.team, rep.manager = team, manager
    rep.save()

    make_zebras(rep, range(2))
    queries_for_two, hits = queries_and_hits(manager)
    assert hits == 4 * 2
    make_zebras(rep, range(2, 12))
    queries_for_twelve, hits = queries_and_hits(manager)
    assert hits == 4 * 12

    assert queries_for_two == queries_for_twelve


def test_the_search_api_and_page_list_the_record_hits(rep: User, api_client: APIClient) -> None:
    records.account(rep, "Kramerica Industries")
    api_client.force_authenticate(rep)

    body: Any = api_client.get("/api/v1/search/", {"q": "kramerica"}).json()
    assert [(r["kind"], r["title"]) for r in body["results"]] == [
        ("account", "Kramerica Industries")
    ]

    page = Client()
    page.force_login(rep)
    assert "Kramerica Industries" in page.get("/search/", {"q": "kramerica"}).text
