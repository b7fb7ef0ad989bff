"""The review queue API: list (visible pairs only), mark not a duplicate, start a scan."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from rapport.access import crud
from rapport.access.models import User
from rapport.customers.models import Contact
from rapport.quality.dedupe.models import DuplicatePair
from rapport.quality.dedupe.scan import duplicates_scan

pytestmark = pytest.mark.django_db


def client_for(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def twins(owner: User, n: int) -> list[Contact]:
    made: list[Contact] = []
    for i in range(n):
        values = {"first_name": "Ann", "last_name": f"Lee{i}x", "email": f"ann{i}@acme.com"}
        made.append(crud.record_create(record_type="contact", acting_user=owner, values=values))
        made.append(crud.record_create(record_type="contact", acting_user=owner, values=values))
    return made


def test_the_list_shows_open_pairs_best_first(rep: User) -> None:
    twins(rep, 2)
    duplicates_scan(record_type="contact", acting_user=None)
    response = client_for(rep).get("/api/v1/duplicates/")
    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == 2
    assert results[0]["status"] == "open"
    assert "same e-mail" in results[0]["reasons"]


def test_pairs_of_records_the_caller_may_not_see_are_left_out(
    rep: User, make_user: Callable[..., User]
) -> None:
    twins(make_user(role="sales_rep"), 1)
    duplicates_scan(record_type="contact", acting_user=None)
    assert DuplicatePair.objects.count() == 1
    assert client_for(rep).get("/api/v1/duplicates/").json()["results"] == []


def test_the_list_runs_a_constant_number_of_queries(rep: User) -> None:
    twins(rep, 2)
    duplicates_scan(record_type="contact", acting_user=None)
    client = client_for(rep)
    client.get("/api/v1/duplicates/")
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/duplicates/")
    twins(rep, 20)
    duplicates_scan(record_type="contact", acting_user=None)
    with CaptureQueriesContext(connection) as many:
        listed = client.get("/api/v1/duplicates/").json()["results"]
    assert len(listed) == DuplicatePair.objects.count() > 20
    assert len(many) == len(few)


def test_marking_not_a_duplicate_is_remembered(rep: User) -> None:
    twins(rep, 1)
    duplicates_scan(record_type="contact", acting_user=None)
    pair = DuplicatePair.objects.get()
    response = client_for(rep).post(f"/api/v1/duplicates/{pair.pk}/not-duplicate/")
    assert response.status_code == 200
    assert response.json()["status"] == "not_duplicate"
    duplicates_scan(record_type="contact", acting_user=None)
    assert client_for(rep).get("/api/v1/duplicates/").json()["results"] == []


def test_a_rep_may_not_start_a_scan(rep: User) -> None:
    response = client_for(rep).post("/api/v1/duplicates/scan/", {}, format="json")
    assert response.status_code == 403
    assert DuplicatePair.objects.count() == 0


def test_an_administrator_starts_a_scan(admin_user: User) -> None:
    twins(admin_user, 1)
    response = client_for(admin_user).post(
        "/api/v1/duplicates/scan/", {"types": ["contact"]}, format="json"
    )
    assert response.status_code == 202
    assert response.json()["task_id"]
