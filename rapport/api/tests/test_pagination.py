"""Cursor pagination: page_size from 1 to 200, next links that work, damaged cursors refused."""

from __future__ import annotations

import pytest

from rapport.access.models import Office

pytestmark = pytest.mark.django_db


@pytest.fixture
def offices(db):
    Office.objects.bulk_create(Office(name=f"Office {i:03}", country="DE") for i in range(7))


def test_following_next_links_visits_every_record_once(token_client, offices):
    seen: list[str] = []
    url = "/api/v1/offices/?page_size=3"
    pages = 0
    while url:
        body = token_client.get(url).json()
        seen += [row["name"] for row in body["results"]]
        url = body["next"]
        pages += 1
    assert pages == 3
    assert seen == sorted(seen)
    assert len(seen) == len(set(seen)) == 7


def test_previous_links_lead_back(token_client, offices):
    first = token_client.get("/api/v1/offices/?page_size=3").json()
    second = token_client.get(first["next"]).json()
    assert token_client.get(second["previous"]).json()["results"] == first["results"]


@pytest.mark.parametrize("size", ["0", "-1", "201", "ten", "1.5"])
def test_a_page_size_outside_1_to_200_is_refused(token_client, size):
    response = token_client.get(f"/api/v1/offices/?page_size={size}")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "page_size": ["Give a whole number from 1 to 200."]
    }


def test_a_page_size_of_200_is_allowed(token_client, offices):
    assert len(token_client.get("/api/v1/offices/?page_size=200").json()["results"]) == 7


@pytest.mark.parametrize("cursor", ["garbage", "%C3%A9", "cD1hYmM="])  # the last is "p=abc"
def test_a_damaged_cursor_is_a_400(token_client, offices, cursor):
    response = token_client.get(f"/api/v1/offices/?ordering=created_at&cursor={cursor}")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["cursor"]
