"""Only administrators reach the administration pages; for anyone else nothing changes."""

from __future__ import annotations

import pytest
from django.test import Client

from rapport.access.models import Office, Role, Team, User


@pytest.fixture
def rep_client(rep):
    client = Client()
    client.force_login(rep)
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/admin/users/",
        "/admin/users/new/",
        "/admin/roles/",
        "/admin/roles/new/",
        "/admin/teams/",
        "/admin/teams/new/",
        "/admin/offices/",
        "/admin/offices/new/",
    ],
)
def test_a_rep_gets_403_on_every_admin_page(rep_client, url):
    response = rep_client.get(url)
    assert response.status_code == 403
    assert "Not allowed" in response.content.decode()


def test_a_rep_cannot_create_a_user(rep_client):
    count = User.objects.count()
    response = rep_client.post(
        "/admin/users/new/", {"first_name": "X", "last_name": "Y", "email": "x@example.com"}
    )
    assert response.status_code == 403
    assert User.objects.count() == count


def test_a_rep_cannot_edit_someone(rep_client, admin_user):
    response = rep_client.post(
        f"/admin/users/{admin_user.pk}/",
        {"first_name": "Hacked", "last_name": "Admin", "email": admin_user.email},
    )
    assert response.status_code == 403
    assert User.objects.get(pk=admin_user.pk).first_name == "Ada"


def test_a_rep_cannot_deactivate_or_reactivate_anyone(rep_client, admin_user, make_user):
    gone = make_user(is_active=False)
    assert rep_client.post(f"/admin/users/{admin_user.pk}/deactivate/").status_code == 403
    assert rep_client.post(f"/admin/users/{gone.pk}/reactivate/").status_code == 403
    assert User.objects.get(pk=admin_user.pk).is_active
    assert not User.objects.get(pk=gone.pk).is_active


def test_a_rep_cannot_change_roles_teams_or_offices(rep_client, team, office):
    role = Role.objects.get(key="sales_rep")
    assert (
        rep_client.post(
            f"/admin/roles/{role.pk}/", {"name": "Boss", "key": "sales_rep"}
        ).status_code
        == 403
    )
    assert rep_client.post(f"/admin/teams/{team.pk}/", {"name": "Mine"}).status_code == 403
    assert (
        rep_client.post(
            f"/admin/offices/{office.pk}/", {"name": "Mine", "country": "FR"}
        ).status_code
        == 403
    )
    assert rep_client.post("/admin/teams/new/", {"name": "New team"}).status_code == 403
    assert Role.objects.get(pk=role.pk).name == "Sales Rep"
    assert Team.objects.get(pk=team.pk).name == "Enterprise Sales"
    assert Office.objects.get(pk=office.pk).name == "Berlin"
    assert not Team.objects.filter(name="New team").exists()


def test_the_admin_section_is_not_in_a_reps_navigation(rep_client):
    body = rep_client.get("/").content.decode()
    assert "/admin/users/" not in body
