"""The lead collection: snake_case bodies, status by key with its label, read-only timestamps
and completeness, constant queries."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from rapport.leads import services
from rapport.leads.models import Lead, LeadStatusChange
from rapport.leads.tests.helpers import make_lead, question, value

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(rep) -> APIClient:
    api = APIClient()
    api.force_authenticate(rep)
    return api


def test_a_lead_is_created_as_new_by_default(client, rep) -> None:
    response = client.post(
        "/api/v1/leads/",
        {
            "first_name": "Ada",
            "last_name": "Lovelace",
            "company": "Engines",
            "email": "ada@engines.example",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["status_label"]) == ("new", "New")
    assert body["owner"] == rep.pk
    assert body["last_touched_at"] is None
    assert body["completeness"] == 0
    assert LeadStatusChange.objects.filter(lead_id=body["id"]).count() == 1


def test_the_status_is_written_by_its_key(client) -> None:
    response = client.post(
        "/api/v1/leads/", {"last_name": "Ng", "status": "working"}, format="json"
    )
    assert response.json()["status_label"] == "Working"


def test_an_unknown_status_key_is_refused_naming_the_field(client) -> None:
    response = client.post("/api/v1/leads/", {"last_name": "Ng", "status": "hot"}, format="json")
    assert response.status_code == 400
    assert "status" in response.json()["error"]["fields"]
    assert not Lead.all_objects.exists()


def test_changing_the_status_through_the_api_touches_the_lead(client, rep) -> None:
    lead = make_lead(rep)
    response = client.patch(f"/api/v1/leads/{lead.pk}/", {"status": "working"}, format="json")
    body = response.json()
    assert body["status"] == "working"
    assert body["last_touched_at"] is not None
    assert body["last_touched_at"] == body["status_changed_at"]
    assert LeadStatusChange.objects.filter(lead=lead).count() == 2


def test_timestamps_cannot_be_written(client, rep) -> None:
    lead = make_lead(rep)
    client.patch(
        f"/api/v1/leads/{lead.pk}/",
        {"last_touched_at": "2020-01-01T00:00:00Z", "converted_at": "2020-01-01T00:00:00Z"},
        format="json",
    )
    lead.refresh_from_db()
    assert lead.last_touched_at is None
    assert lead.converted_at is None


def test_converted_cannot_be_set_as_a_status(client, rep) -> None:
    lead = make_lead(rep)
    response = client.patch(f"/api/v1/leads/{lead.pk}/", {"status": "converted"}, format="json")
    assert response.status_code == 400
    assert "status" in response.json()["error"]["fields"]
    assert Lead.objects.get(pk=lead.pk).status.key == "new"


def test_the_list_filters_by_status_key_and_sorts_by_completeness(client, rep) -> None:
    first = make_lead(rep, last_name="First")
    second = make_lead(rep, last_name="Second")
    services.lead_update(
        acting_user=rep, lead=second, values={"status": value("lead_status", "working")}
    )
    services.lead_answer(
        acting_user=rep,
        lead=first,
        question=question("need_level"),
        value=value("need_level", "critical"),
    )
    working = client.get("/api/v1/leads/?status=working").json()["results"]
    assert [row["id"] for row in working] == [second.pk]
    ordered = client.get("/api/v1/leads/?ordering=-completeness").json()["results"]
    assert [row["id"] for row in ordered] == [first.pk, second.pk]
    assert ordered[0]["completeness"] == 10


def test_the_list_takes_the_same_queries_for_2_or_10_leads(
    client, rep, django_assert_max_num_queries
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(2):
        make_lead(rep, last_name=f"L{n}")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/api/v1/leads/").status_code == 200
    for n in range(8):
        make_lead(rep, last_name=f"M{n}")
    with CaptureQueriesContext(connection) as many:
        assert len(client.get("/api/v1/leads/").json()["results"]) == 10
    assert len(many) == len(few)


def test_another_reps_lead_is_not_found(client, make_user) -> None:
    other = make_user(role="sales_rep")
    lead = make_lead(other)
    assert client.get(f"/api/v1/leads/{lead.pk}/").status_code == 404
    response = client.patch(f"/api/v1/leads/{lead.pk}/", {"status": "working"}, format="json")
    assert response.status_code == 404
    assert Lead.objects.get(pk=lead.pk).status.key == "new"
