"""The opportunity collection: CRUD with snake_case fields, moves and steps through the same
services (and gates) as the pages, stage history; query count constant in the number of rows."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from rapport.activities.models import Activity
from rapport.pipeline.models import Opportunity, OpportunityStep, StageChange
from rapport.pipeline.tests.conftest import complete_steps, ready_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def rep_api(rep) -> APIClient:
    client = APIClient()
    client.force_authenticate(rep)
    return client


def test_creating_through_the_api_uses_the_service_defaults(rep_api, account, stages, rep):
    response = rep_api.post(
        "/api/v1/opportunities/",
        {"name": "API deal", "account": account.pk, "amount": "1200.50"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["stage"] == stages["prospecting"].pk
    assert body["stage_name"] == "Prospecting"
    assert body["probability"] == 10
    assert body["currency"] == "EUR"
    assert body["owner"] == rep.pk
    assert body["amount"] == "1200.50"
    assert OpportunityStep.objects.filter(opportunity_id=body["id"]).count() == 1
    assert Activity.objects.filter(opportunity_id=body["id"], kind="task").count() == 1


def test_the_body_has_plain_snake_case_fields(rep_api, opportunity):
    body = rep_api.get(f"/api/v1/opportunities/{opportunity.pk}/").json()
    for name in (
        "stage",
        "stage_name",
        "amount",
        "currency",
        "forecast_close_date",
        "probability",
        "owner",
        "account",
        "contact",
        "loss_reason",
        "external_id",
    ):
        assert name in body


def test_a_move_refused_by_a_gate_names_every_gate_and_changes_nothing(
    rep_api, opportunity, stages
):
    response = rep_api.post(
        f"/api/v1/opportunities/{opportunity.pk}/move/",
        {"stage": stages["proposal"].pk},
        format="json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert "Research the account" in error["message"]
    assert "Discovery call" in " ".join(error["fields"]["stage"])
    assert set(error["fields"]) >= {"stage", "amount", "forecast_close_date"}
    fresh = Opportunity.objects.get(pk=opportunity.pk)
    assert fresh.stage == stages["prospecting"]
    assert StageChange.objects.filter(opportunity=opportunity).count() == 1


def test_a_move_may_fill_the_fields_the_stage_requires(rep_api, opportunity, stages, rep):
    ready_for(opportunity, rep, stages["proposal"])
    response = rep_api.post(
        f"/api/v1/opportunities/{opportunity.pk}/move/",
        {"stage": stages["proposal"].pk, "amount": "7000", "forecast_close_date": "2027-01-31"},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["stage_name"], body["amount"], body["probability"]) == ("Proposal", "7000.00", 60)


def test_patching_the_stage_goes_through_the_gates_too(rep_api, opportunity, stages):
    response = rep_api.patch(
        f"/api/v1/opportunities/{opportunity.pk}/",
        {"stage": stages["discovery"].pk, "name": "Renamed"},
        format="json",
    )
    assert response.status_code == 400
    fresh = Opportunity.objects.get(pk=opportunity.pk)
    assert (fresh.stage, fresh.name) == (stages["prospecting"], "Big deal")


def test_losing_through_the_api_needs_a_loss_reason(rep_api, opportunity, stages):
    url = f"/api/v1/opportunities/{opportunity.pk}/move/"
    refused = rep_api.post(url, {"stage": stages["closed_lost"].pk}, format="json")
    assert refused.status_code == 400
    assert "loss_reason" in refused.json()["error"]["fields"]
    lost = rep_api.post(
        url, {"stage": stages["closed_lost"].pk, "loss_reason": "competitor"}, format="json"
    )
    assert lost.status_code == 200, lost.content
    assert lost.json()["loss_reason"] == "competitor"
    assert lost.json()["closed_at"] is not None


def test_completing_a_step_prompts_the_next_one(rep_api, opportunity, stages, rep):
    complete_steps(opportunity, rep)
    rep_api.post(
        f"/api/v1/opportunities/{opportunity.pk}/move/",
        {"stage": stages["discovery"].pk},
        format="json",
    )
    steps = rep_api.get(f"/api/v1/opportunities/{opportunity.pk}/steps/").json()
    open_step = next(s for s in steps if s["completed_at"] is None)
    assert open_step["name"] == "Discovery call"
    response = rep_api.post(
        reverse("api:opportunity-step-complete", args=[opportunity.pk, open_step["id"]])
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["completed"]["completed_at"] is not None
    assert body["next_step"]["name"] == "Identify decision makers"
    assert body["message"].startswith("Next: Identify decision makers, due ")
    last = rep_api.post(
        reverse("api:opportunity-step-complete", args=[opportunity.pk, body["next_step"]["id"]])
    ).json()
    assert last["next_step"] is None
    assert last["message"] == "All steps done — move to Solution & demo."


def test_a_step_of_another_deal_is_not_found(rep_api, opportunity, make_opportunity, rep):
    other = make_opportunity(rep, name="Other")
    step = OpportunityStep.objects.get(opportunity=other)
    response = rep_api.post(
        reverse("api:opportunity-step-complete", args=[opportunity.pk, step.pk])
    )
    assert response.status_code == 404
    step.refresh_from_db()
    assert step.completed_at is None


def test_someone_who_may_only_read_cannot_complete_a_step(opportunity, make_user):
    agent = make_user(role="service_agent")
    client = APIClient()
    client.force_authenticate(agent)
    step = OpportunityStep.objects.get(opportunity=opportunity)
    response = client.post(reverse("api:opportunity-step-complete", args=[opportunity.pk, step.pk]))
    assert response.status_code == 403
    step.refresh_from_db()
    assert step.completed_at is None


def test_the_stage_history_lists_changes_with_time_in_the_previous_stage(
    rep_api, opportunity, stages, rep
):
    complete_steps(opportunity, rep)
    rep_api.post(
        f"/api/v1/opportunities/{opportunity.pk}/move/",
        {"stage": stages["discovery"].pk},
        format="json",
    )
    history = rep_api.get(f"/api/v1/opportunities/{opportunity.pk}/stage-history/").json()
    assert [(h["from_stage_name"], h["to_stage_name"]) for h in history] == [
        (None, "Prospecting"),
        ("Prospecting", "Discovery"),
    ]
    assert history[0]["time_in_previous_seconds"] is None
    assert history[1]["time_in_previous_seconds"] >= 0


def test_filters_by_status_stage_close_date_and_amount(rep_api, make_opportunity, rep, stages):
    import datetime
    from decimal import Decimal

    make_opportunity(rep, name="Small", amount=Decimal(100))
    make_opportunity(
        rep, name="Big", amount=Decimal(90000), forecast_close_date=datetime.date(2027, 6, 1)
    )
    names = lambda query: sorted(  # noqa: E731
        o["name"] for o in rep_api.get(f"/api/v1/opportunities/?{query}").json()["results"]
    )
    assert names("amount_min=1000") == ["Big"]
    assert names("close_from=2027-01-01&close_to=2027-12-31") == ["Big"]
    assert names("status=open") == ["Big", "Small"]
    assert names("status=won") == []
    assert names(f"stage={stages['prospecting'].pk}") == ["Big", "Small"]


def test_the_list_runs_the_same_queries_for_2_or_10_deals(
    rep_api, make_opportunity, rep, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(2):
        make_opportunity(rep, name=f"Deal {n}")
    with CaptureQueriesContext(connection) as two:
        assert rep_api.get("/api/v1/opportunities/").status_code == 200
    for n in range(8):
        make_opportunity(rep, name=f"More {n}")
    with CaptureQueriesContext(connection) as ten:
        assert len(rep_api.get("/api/v1/opportunities/").json()["results"]) == 10
    assert len(ten.captured_queries) == len(two.captured_queries)
