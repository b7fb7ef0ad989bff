"""/api/v1/quality/: scores per record and daily roll-ups, as the viewer may see them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport.quality.scores.services import scores_refresh
from rapport.quality.scores.tests import helpers

pytestmark = pytest.mark.django_db


def test_scores_list_lowest_first_with_what_to_fix(token_client, admin_user):
    helpers.lead(admin_user, first_name="G", company="Navy", email="g@example.com")
    poor = helpers.lead(admin_user)
    scores_refresh()
    body = token_client.get("/api/v1/quality/scores/", {"record_type": "lead"}).json()
    first = body["results"][0]
    assert first["object_id"] == poor.pk
    assert first["score"] == 45
    assert {"field": "company", "reason": "No company", "points": 20} in first["issues"]


def test_a_rep_gets_only_their_own_scores(api_client, rep, make_user):
    helpers.lead(rep, last_name="Mine")
    helpers.lead(make_user(), last_name="Theirs")
    scores_refresh()
    api_client.force_authenticate(rep)
    body = api_client.get("/api/v1/quality/scores/").json()
    assert [row["object_repr"] for row in body["results"]] == ["Mine"]


def test_rollups_are_listed_with_their_average(token_client, admin_user):
    helpers.lead(admin_user)
    scores_refresh()
    row = token_client.get("/api/v1/quality/rollups/").json()["results"][0]
    assert (row["record_type"], row["records"], row["average"]) == ("lead", 1, 45.0)


def test_the_scores_list_query_count_is_constant(token_client, admin_user):
    helpers.lead(admin_user)
    scores_refresh()
    token_client.get("/api/v1/quality/scores/")
    with CaptureQueriesContext(connection) as few:
        token_client.get("/api/v1/quality/scores/")
    for n in range(20):
        helpers.lead(admin_user, last_name=f"L{n}")
    scores_refresh()
    with CaptureQueriesContext(connection) as many:
        token_client.get("/api/v1/quality/scores/")
    assert len(many) == len(few)
