"""The opportunity list, page, forms and "Move to stage": gates shown clearly and enforced
exactly as the API enforces them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rapport.pipeline.models import Opportunity, OpportunityStep, StageChange
from rapport.pipeline.tests.conftest import complete_steps, ready_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def rep_client(client, rep):
    client.force_login(rep)
    return client


def test_the_list_shows_deals_with_their_stage(rep_client, opportunity):
    page = rep_client.get(reverse("pipeline:opportunity-list"))
    assert page.status_code == 200
    assert b"Big deal" in page.content
    assert b"Prospecting" in page.content
    assert reverse("pipeline:board").encode() in page.content


def test_the_list_filters_by_status_and_amount(rep_client, make_opportunity, rep):
    from decimal import Decimal

    make_opportunity(rep, name="Tiny", amount=Decimal(5))
    make_opportunity(rep, name="Huge", amount=Decimal(500000))
    page = rep_client.get(reverse("pipeline:opportunity-list") + "?amount_min=1000&status=open")
    assert b"Huge" in page.content
    assert b"Tiny" not in page.content


def test_the_list_runs_the_same_queries_for_2_or_10_deals(rep_client, make_opportunity, rep):
    for n in range(2):
        make_opportunity(rep, name=f"Deal {n}")
    url = reverse("pipeline:opportunity-list") + "?col=name&col=account&col=stage&col=owner"
    rep_client.get(url)  # the first request of a session records it
    with CaptureQueriesContext(connection) as two:
        assert rep_client.get(url).status_code == 200
    for n in range(8):
        make_opportunity(rep, name=f"More {n}")
    with CaptureQueriesContext(connection) as ten:
        assert rep_client.get(url).status_code == 200
    assert len(ten.captured_queries) == len(two.captured_queries)


def test_the_page_shows_key_facts_stage_path_steps_and_history(rep_client, opportunity):
    page = rep_client.get(reverse("pipeline:opportunity-detail", args=[opportunity.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Researching" in html  # the customer-facing label on the stage path
    assert "Reviewing a proposal" in html
    assert "Research the account" in html  # the open step, with its Done button
    step = OpportunityStep.objects.get(opportunity=opportunity)
    assert reverse("pipeline:step-complete", args=[opportunity.pk, step.pk]) in html
    assert "Created at" in html  # stage history
    assert 'id="opportunity-lines"' in html
    assert "Timeline" in html


def test_the_page_runs_the_same_queries_however_many_steps_are_done(
    rep_client, opportunity, rep, stages
):
    from rapport.pipeline import services

    url = reverse("pipeline:opportunity-detail", args=[opportunity.pk])
    complete_steps(opportunity, rep)
    services.opportunity_move_stage(
        acting_user=rep, opportunity=opportunity, stage=stages["discovery"]
    )
    rep_client.get(url)  # the first request of a session records it
    with CaptureQueriesContext(connection) as before:
        rep_client.get(url)
    complete_steps(opportunity, rep)
    with CaptureQueriesContext(connection) as after:
        rep_client.get(url)
    assert len(after.captured_queries) == len(before.captured_queries)


def test_done_shows_the_next_step_prompt(rep_client, opportunity, rep, stages):
    from rapport.pipeline import services

    complete_steps(opportunity, rep)
    services.opportunity_move_stage(
        acting_user=rep, opportunity=opportunity, stage=stages["discovery"]
    )
    step = OpportunityStep.objects.get(opportunity=opportunity, completed_at__isnull=True)
    response = rep_client.post(
        reverse("pipeline:step-complete", args=[opportunity.pk, step.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Next: Identify decision makers, due" in html
    following = OpportunityStep.objects.get(opportunity=opportunity, completed_at__isnull=True)
    response = rep_client.post(
        reverse("pipeline:step-complete", args=[opportunity.pk, following.pk]),
        HTTP_HX_REQUEST="true",
    )
    assert "All steps done — move to Solution &amp; demo." in response.content.decode()


def test_the_move_page_lists_every_unmet_gate(rep_client, opportunity, stages):
    url = reverse("pipeline:opportunity-move", args=[opportunity.pk])
    page = rep_client.get(url + f"?stage={stages['proposal'].pk}")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Before moving to Proposal" in html
    assert "Complete the step “Research the account” (Prospecting)." in html
    assert "Complete the step “Discovery call” (Discovery)." in html
    assert "Fill in amount (required from Proposal on)." in html
    # The fields the stage requires are offered in the same form.
    assert 'name="forecast_close_date"' in html


def test_a_move_refused_by_its_gates_changes_nothing(rep_client, opportunity, stages):
    url = reverse("pipeline:opportunity-move", args=[opportunity.pk])
    response = rep_client.post(url, {"stage": stages["discovery"].pk})
    assert response.status_code == 400
    assert "Complete the step “Research the account”" in response.content.decode()
    assert Opportunity.objects.get(pk=opportunity.pk).stage == stages["prospecting"]
    assert StageChange.objects.filter(opportunity=opportunity).count() == 1


def test_a_move_fills_the_required_fields_and_goes_through(rep_client, opportunity, stages, rep):
    ready_for(opportunity, rep, stages["proposal"])
    Opportunity.objects.filter(pk=opportunity.pk).update(amount=None)
    url = reverse("pipeline:opportunity-move", args=[opportunity.pk])
    response = rep_client.post(
        url,
        {"stage": stages["proposal"].pk, "amount": "4200", "forecast_close_date": "2027-03-01"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    fresh = Opportunity.objects.get(pk=opportunity.pk)
    assert (fresh.stage, str(fresh.amount)) == (stages["proposal"], "4200.00")


def test_losing_on_the_page_asks_for_a_loss_reason(rep_client, opportunity, stages):
    url = reverse("pipeline:opportunity-move", args=[opportunity.pk])
    page = rep_client.get(url + f"?stage={stages['closed_lost'].pk}")
    assert 'name="loss_reason"' in page.content.decode()
    from rapport.core.models import PicklistValue

    timing = PicklistValue.objects.get(picklist__key="loss_reason", key="timing")
    response = rep_client.post(url, {"stage": stages["closed_lost"].pk, "loss_reason": timing.pk})
    assert response.status_code == 302
    assert Opportunity.objects.get(pk=opportunity.pk).loss_reason == timing


def test_creating_on_the_page_prompts_the_first_step(rep_client, account, stages):
    response = rep_client.post(
        reverse("pipeline:opportunity-create"),
        {"name": "Page deal", "account": account.pk, "owner": account.owner_id},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    made = Opportunity.objects.get(name="Page deal")
    assert (made.stage, made.probability, made.currency.key) == (stages["prospecting"], 10, "EUR")
    assert OpportunityStep.objects.filter(opportunity=made).count() == 1


def test_someone_who_may_only_read_cannot_move_or_complete(client, make_user, opportunity, stages):
    agent = make_user(role="service_agent")
    client.force_login(agent)
    assert (
        client.get(reverse("pipeline:opportunity-detail", args=[opportunity.pk])).status_code == 200
    )
    step = OpportunityStep.objects.get(opportunity=opportunity)
    move = client.post(
        reverse("pipeline:opportunity-move", args=[opportunity.pk]),
        {"stage": stages["closed_lost"].pk},
    )
    done = client.post(reverse("pipeline:step-complete", args=[opportunity.pk, step.pk]))
    assert (move.status_code, done.status_code) == (403, 403)
    step.refresh_from_db()
    assert step.completed_at is None
    assert Opportunity.objects.get(pk=opportunity.pk).stage == stages["prospecting"]


def test_another_reps_deal_is_not_found(client, make_user, opportunity):
    client.force_login(make_user(role="sales_rep"))
    assert (
        client.get(reverse("pipeline:opportunity-detail", args=[opportunity.pk])).status_code == 404
    )
    assert (
        client.get(reverse("pipeline:opportunity-move", args=[opportunity.pk])).status_code == 404
    )


def test_choosing_another_stage_on_the_move_page_refreshes_its_gates(
    rep_client, opportunity, stages
):
    url = reverse("pipeline:opportunity-move", args=[opportunity.pk])
    fragment = rep_client.get(url + f"?stage={stages['closed_lost'].pk}", HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert html.lstrip().startswith('<div id="move-form">')
    assert "Give a loss reason to close the deal as lost." in html
    assert 'name="loss_reason"' in html


def test_a_role_that_cannot_see_the_amount_sees_the_deal_without_it(
    client, rep, opportunity, admin_user
):
    from decimal import Decimal

    from rapport.access import permissions

    Opportunity.objects.filter(pk=opportunity.pk).update(amount=Decimal("123456"))
    permissions.field_permission_set(
        acting_user=admin_user,
        role=rep.role,
        record_type="opportunity",
        field_name="amount",
        access="hidden",
    )
    client.force_login(rep)
    for url in (
        reverse("pipeline:opportunity-detail", args=[opportunity.pk]),
        reverse("pipeline:opportunity-list"),
        reverse("pipeline:board"),
    ):
        page = client.get(url)
        assert page.status_code == 200
        assert "123,456" not in page.content.decode()
        assert "123456" not in page.content.decode()
    refused = client.get(reverse("pipeline:opportunity-list") + "?amount_min=100000")
    assert refused.status_code == 403
