"""The picklist API: its shape, administrators' writes, and a constant number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport.core.models import AuditEntry, Picklist, PicklistValue

pytestmark = pytest.mark.django_db


def test_the_list_has_every_picklist_with_its_values_and_definitions(token_client):
    body = token_client.get("/api/v1/picklists/").json()
    by_key = {p["key"]: p for p in body}
    status = by_key["lead_status"]
    assert set(status) == {"id", "key", "name", "description", "values"}
    first = status["values"][0]
    assert set(first) == {"id", "key", "label", "definition", "sort_order", "is_active", "color"}
    assert (first["key"], first["label"], first["is_active"]) == ("new", "New", True)
    assert first["definition"]


def test_an_unknown_picklist_is_a_404(token_client):
    assert token_client.get("/api/v1/picklists/nothing/").status_code == 404


def test_an_administrator_adds_and_edits_a_value(token_client):
    created = token_client.post(
        "/api/v1/picklists/industry/values/",
        {"key": "agriculture", "label": "Agriculture", "definition": "Farms and food producers."},
        format="json",
    )
    assert created.status_code == 201
    pk = created.json()["id"]
    changed = token_client.patch(
        f"/api/v1/picklists/industry/values/{pk}/", {"label": "Agriculture & food"}, format="json"
    )
    assert changed.status_code == 200
    assert PicklistValue.objects.get(pk=pk).label == "Agriculture & food"
    assert AuditEntry.objects.filter(record_type="picklist_value", object_id=pk).count() == 2


def test_a_key_already_in_the_list_is_refused(token_client):
    response = token_client.post(
        "/api/v1/picklists/industry/values/", {"key": "software", "label": "Again"}, format="json"
    )
    assert response.status_code in (400, 409)
    assert PicklistValue.objects.filter(picklist__key="industry", key="software").count() == 1


def test_the_list_takes_the_same_number_of_queries_however_many_values(token_client):
    token_client.get("/api/v1/picklists/")  # warm the per-request caches (token, rules)
    with CaptureQueriesContext(connection) as few:
        assert token_client.get("/api/v1/picklists/").status_code == 200
    industry = Picklist.objects.get(key="industry")
    PicklistValue.objects.bulk_create(
        PicklistValue(picklist=industry, key=f"extra-{n}", label=f"Extra {n}", sort_order=500 + n)
        for n in range(30)
    )
    Picklist.objects.create(key="extra", name="Extra")
    with CaptureQueriesContext(connection) as many:
        assert token_client.get("/api/v1/picklists/").status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
