"""Administrators configure stages and steps: create, edit, retire, reorder; nobody else may."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rapport.core.models import AuditEntry
from rapport.pipeline.models import MethodologyStep, Stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_the_stage_page_lists_stages_with_their_steps(admin_client, stages):
    html = admin_client.get(reverse("pipeline:stage-list")).content.decode()
    assert "Solution &amp; demo" in html
    assert "Run a demo" in html
    assert reverse("pipeline:stage-edit", args=[stages["proposal"].pk]) in html


def test_an_administrator_edits_a_stage_and_it_is_audited(admin_client, stages, admin_user):
    proposal = stages["proposal"]
    response = admin_client.post(
        reverse("pipeline:stage-edit", args=[proposal.pk]),
        {
            "name": "Proposal",
            "customer_label": "Weighing our offer",
            "key": "proposal",
            "kind": "open",
            "probability": "55",
            "required_fields": ["amount"],
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    proposal.refresh_from_db()
    assert (proposal.customer_label, proposal.probability, proposal.required_fields) == (
        "Weighing our offer",
        55,
        ["amount"],
    )
    entry = AuditEntry.objects.for_record("stage", proposal.pk).first()
    assert entry is not None
    assert entry.actor == admin_user


def test_an_administrator_adds_a_step_at_the_end_of_its_stage(admin_client, stages):
    response = admin_client.post(
        reverse("pipeline:step-create"),
        {
            "stage": stages["solution"].pk,
            "name": "Security review",
            "due_in_days": "10",
            "is_required": "on",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    names = list(
        MethodologyStep.objects.filter(stage=stages["solution"])
        .order_by("sort_order")
        .values_list("name", flat=True)
    )
    assert names == ["Run a demo", "Send a sample / trial", "Security review"]


def test_reordering_moves_a_stage_up(admin_client, stages):
    admin_client.post(
        reverse("pipeline:stage-reorder", args=[stages["discovery"].pk]), {"direction": "up"}
    )
    keys = list(Stage.objects.order_by("sort_order").values_list("key", flat=True))
    assert keys[:2] == ["discovery", "prospecting"]


def test_reordering_moves_a_step_down(admin_client, stages):
    call = MethodologyStep.objects.get(name="Discovery call")
    admin_client.post(reverse("pipeline:step-reorder", args=[call.pk]), {"direction": "down"})
    names = list(
        MethodologyStep.objects.filter(stage=stages["discovery"])
        .order_by("sort_order")
        .values_list("name", flat=True)
    )
    assert names == ["Identify decision makers", "Discovery call"]


def test_retiring_keeps_the_stage_and_its_deals(admin_client, stages, opportunity):
    response = admin_client.post(reverse("pipeline:stage-retire", args=[stages["prospecting"].pk]))
    assert response.status_code == 302
    stage = Stage.objects.get(pk=stages["prospecting"].pk)
    assert stage.is_active is False
    opportunity.refresh_from_db()
    assert opportunity.stage == stage


def test_a_rep_cannot_open_or_change_the_stage_pages(client, rep, stages):
    client.force_login(rep)
    proposal = stages["proposal"]
    assert client.get(reverse("pipeline:stage-list")).status_code == 403
    response = client.post(
        reverse("pipeline:stage-edit", args=[proposal.pk]),
        {"name": "Hacked", "key": "proposal", "kind": "open", "probability": "1"},
    )
    retire = client.post(reverse("pipeline:stage-retire", args=[proposal.pk]))
    assert (response.status_code, retire.status_code) == (403, 403)
    proposal.refresh_from_db()
    assert (proposal.name, proposal.probability, proposal.is_active) == ("Proposal", 60, True)
