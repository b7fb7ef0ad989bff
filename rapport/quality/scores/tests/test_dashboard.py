"""The data-quality dashboard: per type, person and team, worst records, common issues, trend."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from rapport.quality.scores.models import QualityRollup
from rapport.quality.scores.services import scores_refresh
from rapport.quality.scores.tests import helpers

pytestmark = pytest.mark.django_db


def test_an_administrator_sees_everyone_with_the_common_issues_and_trend(client, admin_user, rep):
    helpers.lead(rep, last_name="Lonely")
    helpers.contact(admin_user)
    scores_refresh()
    QualityRollup.objects.create(
        day=timezone.localdate() - datetime.timedelta(days=3),
        record_type="lead",
        owner=rep,
        records=1,
        score_sum=30,
        poor=1,
    )
    client.force_login(admin_user)
    response = client.get(reverse("scores:dashboard"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Lonely" in body
    assert "Rita Rep" in body
    assert "No company" in body
    assert "<polyline" in body


def test_a_rep_sees_only_their_own_records(client, rep, make_user):
    other = make_user(first_name="Otto", last_name="Other")
    helpers.lead(rep, last_name="Mine")
    helpers.lead(other, last_name="Theirs")
    scores_refresh()
    client.force_login(rep)
    body = client.get(reverse("scores:dashboard")).content.decode()
    assert "Mine" in body
    assert "Theirs" not in body
    assert "Otto" not in body


def test_a_manager_sees_their_team(client, make_user, team):
    manager = make_user(role="sales_manager", team=team)
    mate = make_user(team=team, manager=manager, first_name="Mia", last_name="Mate")
    outsider = make_user(first_name="Olga", last_name="Outsider")
    helpers.lead(mate, last_name="TeamLead")
    helpers.lead(outsider, last_name="Elsewhere")
    scores_refresh()
    client.force_login(manager)
    body = client.get(reverse("scores:dashboard")).content.decode()
    assert "Mia Mate" in body
    assert "Olga" not in body


def test_the_query_count_does_not_grow_with_the_records(client, admin_user):
    helpers.lead(admin_user)
    scores_refresh()
    client.force_login(admin_user)
    client.get(reverse("scores:dashboard"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("scores:dashboard"))
    for n in range(20):
        helpers.lead(admin_user, last_name=f"L{n}")
    scores_refresh()
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("scores:dashboard"))
    assert len(many) == len(few)
