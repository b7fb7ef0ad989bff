"""Stages and methodology steps through the API: everyone reads them, administrators change
and retire them; nothing is ever deleted."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from rapport.pipeline.models import MethodologyStep, Stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def rep_api(rep) -> APIClient:
    client = APIClient()
    client.force_authenticate(rep)
    return client


def test_everyone_reads_the_stages_in_order(rep_api, stages):
    body = rep_api.get("/api/v1/stages/").json()["results"]
    assert [s["key"] for s in body][:3] == ["prospecting", "discovery", "solution"]
    proposal = next(s for s in body if s["key"] == "proposal")
    assert proposal["customer_label"] == "Reviewing a proposal"
    assert proposal["required_fields"] == ["amount", "forecast_close_date"]


def test_a_rep_cannot_change_a_stage(rep_api, stages):
    response = rep_api.patch(
        f"/api/v1/stages/{stages['proposal'].pk}/", {"probability": 99}, format="json"
    )
    assert response.status_code == 403
    assert Stage.objects.get(pk=stages["proposal"].pk).probability == 60


def test_an_administrator_adds_a_stage_at_the_end_and_retires_it(token_client, stages):
    created = token_client.post(
        "/api/v1/stages/",
        {"key": "legal", "name": "Legal review", "probability": 90, "kind": "open"},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["sort_order"] > stages["closed_lost"].sort_order
    retired = token_client.post(f"/api/v1/stages/{created.json()['id']}/retire/")
    assert retired.status_code == 200
    assert retired.json()["is_active"] is False


def test_a_stage_may_only_require_opportunity_fields(token_client, stages):
    response = token_client.patch(
        f"/api/v1/stages/{stages['discovery'].pk}/",
        {"required_fields": ["amount", "password"]},
        format="json",
    )
    assert response.status_code == 400
    assert "password" in response.json()["error"]["fields"]["required_fields"][0]
    assert Stage.objects.get(pk=stages["discovery"].pk).required_fields == []


def test_stages_are_never_deleted(token_client, stages):
    response = token_client.delete(f"/api/v1/stages/{stages['discovery'].pk}/")
    assert response.status_code == 405
    assert Stage.objects.filter(pk=stages["discovery"].pk, is_active=True).exists()


def test_methodology_steps_are_listed_per_stage_and_added_last(token_client, stages):
    listed = token_client.get(f"/api/v1/methodology-steps/?stage={stages['discovery'].pk}")
    assert [s["name"] for s in listed.json()["results"]] == [
        "Discovery call",
        "Identify decision makers",
    ]
    created = token_client.post(
        "/api/v1/methodology-steps/",
        {"stage": stages["discovery"].pk, "name": "Map the org chart", "due_in_days": 4},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["sort_order"] == 30
    retired = token_client.post(f"/api/v1/methodology-steps/{created.json()['id']}/retire/")
    assert retired.json()["is_active"] is False
    assert MethodologyStep.objects.filter(name="Map the org chart", is_active=False).exists()


def test_a_stage_with_deals_keeps_its_kind(token_client, stages, opportunity):
    response = token_client.patch(
        f"/api/v1/stages/{stages['prospecting'].pk}/", {"kind": "lost"}, format="json"
    )
    assert response.status_code == 400
    assert "kind" in response.json()["error"]["fields"]
    assert Stage.objects.get(pk=stages["prospecting"].pk).kind == "open"


def test_no_deal_may_enter_a_retired_stage(token_client, rep, stages, opportunity):
    from rapport.pipeline.tests.conftest import complete_steps

    token_client.post(f"/api/v1/stages/{stages['discovery'].pk}/retire/")
    complete_steps(opportunity, rep)
    client = APIClient()
    client.force_authenticate(rep)
    response = client.post(
        f"/api/v1/opportunities/{opportunity.pk}/move/",
        {"stage": stages["discovery"].pk},
        format="json",
    )
    assert response.status_code == 400
    assert "retired" in response.json()["error"]["message"] + str(
        response.json()["error"]["fields"]
    )
