"""GET /api/v1/search/?q= answers the global search box's hits as JSON."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_search_finds_people_and_teams(api_client, rep, make_user, team):
    make_user(first_name="Enid", last_name="Blyton", email="enid@example.com")
    api_client.force_authenticate(rep)
    body = api_client.get("/api/v1/search/?q=enid").json()
    assert body["query"] == "enid"
    assert [(hit["kind"], hit["title"]) for hit in body["results"]] == [("user", "Enid Blyton")]
    hits = api_client.get("/api/v1/search/?q=enterprise").json()["results"]
    assert [(hit["kind"], hit["record_id"]) for hit in hits] == [("team", team.pk)]


def test_a_query_shorter_than_two_characters_finds_nothing(api_client, rep):
    api_client.force_authenticate(rep)
    assert api_client.get("/api/v1/search/?q=r").json()["results"] == []


def test_search_without_a_query_is_a_400_naming_q(api_client, rep):
    api_client.force_authenticate(rep)
    response = api_client.get("/api/v1/search/")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["q"]


def test_the_number_of_hits_per_kind_is_limited(api_client, rep, make_user):
    for i in range(4):
        make_user(first_name="Zelda", last_name=f"Number{i}")
    api_client.force_authenticate(rep)
    assert len(api_client.get("/api/v1/search/?q=zelda&limit=2").json()["results"]) == 2
