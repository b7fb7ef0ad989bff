"""The pipeline board: columns of open stages with totals, won/lost drop zones, and moves
through the same gates as everywhere else."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rapport.pipeline.models import Opportunity, StageChange
from rapport.pipeline.tests.conftest import complete_steps

pytestmark = pytest.mark.django_db


@pytest.fixture
def rep_client(client, rep):
    client.force_login(rep)
    return client


def test_the_board_shows_open_stages_with_cards_and_totals(rep_client, make_opportunity, rep):
    make_opportunity(rep, name="Alpha", amount=Decimal(1000))
    make_opportunity(rep, name="Beta", amount=Decimal(2500))
    page = rep_client.get(reverse("pipeline:board"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Alpha" in html
    assert "Beta" in html
    assert "3,500" in html
    assert "Closed won" in html
    assert "Closed lost" in html
    assert 'draggable="true"' in html
    assert "pipeline/board.js" in html


def test_the_board_filters_by_owner(rep_client, make_opportunity, rep, make_user, admin_user):
    colleague = make_user(role="sales_rep")
    make_opportunity(rep, name="Mine")
    make_opportunity(colleague, name="Theirs")
    rep_client.force_login(admin_user)
    html = rep_client.get(reverse("pipeline:board") + f"?owner={rep.pk}").content.decode()
    assert "Mine" in html
    assert "Theirs" not in html


def test_the_board_runs_the_same_queries_for_2_or_10_deals(rep_client, make_opportunity, rep):
    for n in range(2):
        make_opportunity(rep, name=f"Deal {n}")
    rep_client.get(reverse("pipeline:board"))  # the first request of a session records it
    with CaptureQueriesContext(connection) as two:
        rep_client.get(reverse("pipeline:board"))
    for n in range(8):
        make_opportunity(rep, name=f"More {n}")
    with CaptureQueriesContext(connection) as ten:
        rep_client.get(reverse("pipeline:board"))
    assert len(ten.captured_queries) == len(two.captured_queries)


def test_a_drop_refused_by_a_gate_answers_the_gates_and_changes_nothing(
    rep_client, opportunity, stages
):
    response = rep_client.post(
        reverse("pipeline:board-move", args=[opportunity.pk]), {"stage": stages["discovery"].pk}
    )
    assert response.status_code == 400
    body = response.json()
    assert body["ok"] is False
    assert body["gates"] == ["Complete the step “Research the account” (Prospecting)"]
    assert body["move_url"].endswith(f"?stage={stages['discovery'].pk}")
    assert Opportunity.objects.get(pk=opportunity.pk).stage == stages["prospecting"]
    assert StageChange.objects.filter(opportunity=opportunity).count() == 1


def test_a_drop_that_passes_the_gates_moves_the_deal(rep_client, opportunity, stages, rep):
    complete_steps(opportunity, rep)
    response = rep_client.post(
        reverse("pipeline:board-move", args=[opportunity.pk]), {"stage": stages["discovery"].pk}
    )
    assert response.status_code == 200
    assert response.json()["ok"] is True
    assert Opportunity.objects.get(pk=opportunity.pk).stage == stages["discovery"]


def test_someone_who_may_not_edit_cannot_drop(client, make_user, opportunity, stages):
    client.force_login(make_user(role="executive"))
    response = client.post(
        reverse("pipeline:board-move", args=[opportunity.pk]), {"stage": stages["closed_lost"].pk}
    )
    assert response.status_code == 403
    assert Opportunity.objects.get(pk=opportunity.pk).stage == stages["prospecting"]
