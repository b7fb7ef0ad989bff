"""Visibility scopes through the pages and the API: out of scope is not found, lists are narrowed,
and the number of queries a list costs does not grow with the rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from rapport.access import permissions
from rapport.access.models import Role, Team, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def team_scoped(admin_user):
    """Sales reps see only the people of their own team."""
    permissions.permission_set(
        acting_user=admin_user,
        role=Role.objects.get(key="sales_rep"),
        record_type="user",
        can_create=False,
        can_read=True,
        can_edit=False,
        can_delete=False,
        scope="team",
    )


@pytest.fixture
def people(make_user, team, office, team_scoped):
    other = Team.objects.create(name="Other team", office=office)
    return {
        "rep": make_user(role="sales_rep", team=team, first_name="Rita"),
        "mate": make_user(role="sales_rep", team=team, first_name="Mats"),
        "stranger": make_user(role="sales_rep", team=other, first_name="Stella"),
    }


def test_the_directory_lists_only_people_in_scope(people):
    client = Client()
    client.force_login(people["rep"])
    html = client.get("/people/").content.decode()
    assert "Mats" in html
    assert "Stella" not in html


def test_a_person_out_of_scope_is_not_found_on_pages_and_in_the_api(people):
    client = Client()
    client.force_login(people["rep"])
    assert client.get(f"/people/{people['stranger'].pk}/").status_code == 404
    assert client.get(f"/people/{people['mate'].pk}/").status_code == 200
    api = APIClient()
    api.force_authenticate(people["rep"])
    response = api.get(f"/api/v1/users/{people['stranger'].pk}/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    ids = {row["id"] for row in api.get("/api/v1/users/").json()["results"]}
    assert people["stranger"].pk not in ids
    assert people["mate"].pk in ids


def test_history_of_a_record_out_of_scope_is_not_found(people):
    api = APIClient()
    api.force_authenticate(people["rep"])
    assert api.get(f"/api/v1/users/{people['stranger'].pk}/history/").status_code == 404


def test_search_finds_only_people_in_scope(people):
    from rapport.core.search import search

    assert search(user=people["rep"], query="Stella") == []
    assert [hit.record_id for hit in search(user=people["rep"], query="Mats")] == [
        people["mate"].pk
    ]


def test_an_administrator_out_of_scope_gets_404_on_the_edit_page(admin_user, make_user, team):
    permissions.permission_set(
        acting_user=admin_user,
        role=Role.objects.get(key="administrator"),
        record_type="user",
        can_create=True,
        can_read=True,
        can_edit=True,
        can_delete=True,
        scope="own",
    )
    other = make_user(role="sales_rep", first_name="Unseen")
    client = Client()
    client.force_login(admin_user)
    assert client.get(f"/admin/users/{other.pk}/").status_code == 404
    response = client.post(
        f"/admin/users/{other.pk}/",
        {"first_name": "Hacked", "last_name": "X", "email": other.email},
    )
    assert response.status_code == 404
    assert User.objects.get(pk=other.pk).first_name == "Unseen"


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


@pytest.mark.parametrize("url", ["/people/", "/api/v1/users/", "/api/v1/teams/"])
def test_a_scoped_list_costs_a_constant_number_of_queries(url, people, make_user, team):
    client = APIClient() if url.startswith("/api/") else Client()
    client.force_login(people["rep"])
    _count(client, url)  # the first request of a session also records the session
    few = _count(client, url)
    for i in range(12):
        make_user(role="sales_rep", team=team, first_name=f"Extra{i}")
        Team.objects.create(name=f"Extra team {i}")
    assert _count(client, url) == few


@pytest.mark.parametrize("path", ["/api/v1/users/", "/api/v1/teams/", "/api/v1/permissions/"])
def test_an_unknown_token_on_a_record_collection_is_a_clear_401(path, db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer rpt_this-token-does-not-exist")
    response = client.get(path)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"
