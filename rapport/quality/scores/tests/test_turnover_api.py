"""POST /api/v1/turnover/preview/ and /reassign/: administrators only, one error body."""

from __future__ import annotations

import pytest

from rapport.core.models import AuditEntry
from rapport.leads.models import Lead
from rapport.quality.scores.tests import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaver(make_user, team):
    return make_user(team=team, first_name="Leo", last_name="Leaver")


def test_the_preview_counts_per_kind(token_client, leaver):
    helpers.lead(leaver)
    helpers.contact(leaver)
    response = token_client.post(
        "/api/v1/turnover/preview/", {"from_user": leaver.pk}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["counts"] == {"lead": 1, "opportunity": 0, "account": 0, "contact": 1, "task": 0}
    assert body["total"] == 2


def test_reassign_round_robin_returns_the_report(token_client, leaver, make_user, team):
    mates = [make_user(team=team) for _ in range(2)]
    for n in range(4):
        helpers.lead(leaver, last_name=f"L{n}")
    response = token_client.post(
        "/api/v1/turnover/reassign/",
        {"from_user": leaver.pk, "plan": {"lead": {"rule": "round_robin"}}},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert sorted(line["new_owner_id"] for line in body["lines"]) == sorted(
        [mates[0].pk, mates[0].pk, mates[1].pk, mates[1].pk]
    )
    assert AuditEntry.objects.filter(changes__owner__old__id=leaver.pk).count() == 4


def test_a_plan_without_a_successor_is_refused_naming_the_field(token_client, leaver):
    lead = helpers.lead(leaver)
    response = token_client.post(
        "/api/v1/turnover/reassign/",
        {"from_user": leaver.pk, "plan": {"all": {"rule": "successor"}}},
        format="json",
    )
    assert response.status_code == 400
    assert "successor" in response.json()["error"]["fields"]
    assert Lead.objects.get(pk=lead.pk).owner == leaver


def test_a_rep_is_refused_and_nothing_changes(api_client, rep, leaver, make_user):
    successor = make_user()
    lead = helpers.lead(leaver)
    api_client.force_authenticate(rep)
    preview = api_client.post("/api/v1/turnover/preview/", {"from_user": leaver.pk}, format="json")
    response = api_client.post(
        "/api/v1/turnover/reassign/",
        {"from_user": leaver.pk, "plan": {"all": {"rule": "successor", "successor": successor.pk}}},
        format="json",
    )
    assert preview.status_code == 403
    assert response.status_code == 403
    assert Lead.objects.get(pk=lead.pk).owner == leaver
    assert not AuditEntry.objects.filter(changes__owner__old__id=leaver.pk).exists()
