"""Roles, teams and offices through the API: CRUD for administrators; deletes go to the recycle
bin, never a hard delete."""

from __future__ import annotations

import pytest

from rapport.access.models import Office, Role, Team

pytestmark = pytest.mark.django_db


def test_an_administrator_creates_and_changes_a_role(token_client):
    response = token_client.post(
        "/api/v1/roles/",
        {"key": "partner_manager", "name": "Partner Manager", "is_manager": True},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["user_count"] == 0
    role = Role.objects.get(key="partner_manager")
    response = token_client.patch(
        f"/api/v1/roles/{role.pk}/", {"description": "Runs partners."}, format="json"
    )
    assert response.status_code == 200
    role.refresh_from_db()
    assert role.description == "Runs partners."


def test_a_role_counts_its_active_people(token_client, rep, make_user):
    make_user(role="sales_rep", is_active=False)
    role = Role.objects.get(key="sales_rep")
    assert token_client.get(f"/api/v1/roles/{role.pk}/").json()["user_count"] == 1


def test_the_key_of_a_built_in_role_cannot_change(token_client):
    role = Role.objects.get(key="sales_rep")
    response = token_client.patch(f"/api/v1/roles/{role.pk}/", {"key": "seller"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "key": ["The key of a built-in role cannot change."]
    }
    assert Role.objects.filter(pk=role.pk, key="sales_rep").exists()


def test_deleting_a_role_nobody_has_moves_it_to_the_recycle_bin(token_client):
    role = Role.objects.get(key="marketing")
    response = token_client.delete(f"/api/v1/roles/{role.pk}/")
    assert response.status_code == 204
    assert not Role.objects.filter(pk=role.pk).exists()
    assert Role.all_objects.filter(pk=role.pk, deleted_at__isnull=False).exists()


def test_a_role_people_still_have_is_not_deleted(token_client, rep):
    response = token_client.delete(f"/api/v1/roles/{rep.role_id}/")
    assert response.status_code == 409
    assert "give them another role first" in response.json()["error"]["message"]
    assert Role.objects.filter(pk=rep.role_id).exists()


def test_an_administrator_creates_a_team_in_an_office_with_a_lead(token_client, office, admin_user):
    response = token_client.post(
        "/api/v1/teams/",
        {"name": "Mid-Market", "office": office.pk, "lead": admin_user.pk},
        format="json",
    )
    assert response.status_code == 201, response.json()
    team = Team.objects.get(name="Mid-Market")
    assert (team.office, team.lead) == (office, admin_user)
    assert response.json()["member_count"] == 0


def test_deleting_a_team_moves_it_to_the_recycle_bin(token_client, team):
    response = token_client.delete(f"/api/v1/teams/{team.pk}/")
    assert response.status_code == 204
    assert not Team.objects.filter(pk=team.pk).exists()
    assert Team.all_objects.get(pk=team.pk).deleted_at is not None
    assert token_client.get(f"/api/v1/teams/{team.pk}/").status_code == 404


def test_an_administrator_creates_an_office_with_a_country_and_time_zone(token_client):
    response = token_client.post(
        "/api/v1/offices/",
        {"name": "Lyon", "city": "Lyon", "country": "FR", "timezone": "Europe/Paris"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["country"] == "FR"
    assert Office.objects.get(name="Lyon").timezone == "Europe/Paris"


def test_an_unknown_country_is_refused(token_client):
    response = token_client.post(
        "/api/v1/offices/", {"name": "Atlantis", "country": "XX"}, format="json"
    )
    assert response.status_code == 400
    assert "country" in response.json()["error"]["fields"]
    assert not Office.objects.filter(name="Atlantis").exists()


def test_deleting_an_office_moves_it_to_the_recycle_bin(token_client, office):
    response = token_client.delete(f"/api/v1/offices/{office.pk}/")
    assert response.status_code == 204
    assert not Office.objects.filter(pk=office.pk).exists()
    assert Office.all_objects.get(pk=office.pk).deleted_at is not None


def test_an_external_id_clash_is_a_clear_error_naming_the_field(token_client, office):
    Office.objects.filter(pk=office.pk).update(external_id="ERP-1")
    response = token_client.post(
        "/api/v1/offices/",
        {"name": "Paris", "country": "FR", "external_id": "ERP-1"},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["external_id"]


def test_an_empty_external_id_means_none_so_many_records_can_have_none(token_client):
    for name in ("Oslo", "Bergen"):
        response = token_client.post(
            "/api/v1/offices/", {"name": name, "country": "NO", "external_id": ""}, format="json"
        )
        assert response.status_code == 201, response.json()
        assert response.json()["external_id"] is None
