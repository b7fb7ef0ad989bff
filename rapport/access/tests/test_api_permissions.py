"""Denied writes answer 403 with the error body and change nothing."""

from __future__ import annotations

import pytest

from rapport.access.models import Office, Role, Team, User

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["sales_rep", "sales_manager", "read_only"])
def non_admin_client(request, api_client, make_user):
    api_client.force_authenticate(make_user(role=request.param))
    return api_client


def _assert_denied(response):
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert response.json()["error"]["fields"] == {}


def test_non_administrators_cannot_create_people(non_admin_client):
    before = User.objects.count()
    _assert_denied(
        non_admin_client.post(
            "/api/v1/users/",
            {"email": "x@example.com", "first_name": "X", "last_name": "Y"},
            format="json",
        )
    )
    assert User.objects.count() == before


def test_non_administrators_cannot_change_people(non_admin_client, rep):
    _assert_denied(
        non_admin_client.patch(f"/api/v1/users/{rep.pk}/", {"title": "CEO"}, format="json")
    )
    rep.refresh_from_db()
    assert rep.title == ""


def test_non_administrators_cannot_deactivate_people(non_admin_client, rep):
    _assert_denied(non_admin_client.post(f"/api/v1/users/{rep.pk}/deactivate/"))
    rep.refresh_from_db()
    assert rep.is_active


def test_non_administrators_cannot_change_roles_teams_or_offices(non_admin_client, team, office):
    role = Role.objects.get(key="sales_rep")
    _assert_denied(
        non_admin_client.patch(f"/api/v1/roles/{role.pk}/", {"is_admin": True}, format="json")
    )
    _assert_denied(non_admin_client.post("/api/v1/teams/", {"name": "Rogue"}, format="json"))
    _assert_denied(non_admin_client.delete(f"/api/v1/teams/{team.pk}/"))
    _assert_denied(
        non_admin_client.put(
            f"/api/v1/offices/{office.pk}/", {"name": "X", "country": "FR"}, format="json"
        )
    )
    assert not Role.objects.get(pk=role.pk).is_admin
    assert not Team.objects.filter(name="Rogue").exists()
    assert Team.objects.get(pk=team.pk).is_active
    assert Office.objects.get(pk=office.pk).name == "Berlin"


def test_non_administrators_can_still_read(non_admin_client, team):
    assert non_admin_client.get("/api/v1/teams/").status_code == 200
    assert non_admin_client.get(f"/api/v1/teams/{team.pk}/").status_code == 200


def test_a_superuser_with_the_read_only_role_cannot_write(api_client, make_user, team):
    viewer = make_user(role="read_only", is_superuser=True)
    api_client.force_authenticate(viewer)
    _assert_denied(
        api_client.patch(f"/api/v1/teams/{team.pk}/", {"name": "Renamed"}, format="json")
    )
    assert Team.objects.get(pk=team.pk).name == "Enterprise Sales"


def test_anonymous_callers_are_asked_to_authenticate(api_client, rep):
    response = api_client.get("/api/v1/users/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")
