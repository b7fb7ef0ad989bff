"""Administrators create and edit roles, teams and offices."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from rapport.access.models import Office, Role, Team


@pytest.fixture
def admin_client(admin_user):
    client = Client()
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize("url", ["/admin/roles/", "/admin/teams/", "/admin/offices/"])
def test_each_list_opens_for_an_administrator(admin_client, team, url):
    assert admin_client.get(url).status_code == 200


def test_a_new_role_is_created_and_listed(admin_client):
    response = admin_client.post(
        "/admin/roles/new/",
        {"name": "Partner Manager", "key": "partner_manager", "description": "", "sort_order": 9},
    )
    assert response.status_code == 302
    assert Role.objects.filter(key="partner_manager", name="Partner Manager").exists()
    assert "Partner Manager" in admin_client.get("/admin/roles/").content.decode()


def test_a_role_name_must_be_unique(admin_client):
    response = admin_client.post(
        "/admin/roles/new/", {"name": "Sales Rep", "key": "other", "sort_order": 0}
    )
    assert response.status_code == 400
    assert "Role with this Name already exists." in response.content.decode()
    assert not Role.objects.filter(key="other").exists()


def test_a_role_is_renamed(admin_client):
    role = Role.objects.get(key="marketing")
    admin_client.post(
        f"/admin/roles/{role.pk}/",
        {
            "name": "Growth Marketing",
            "key": "marketing",
            "description": "",
            "sort_order": role.sort_order,
        },
    )
    assert Role.objects.get(pk=role.pk).name == "Growth Marketing"


def test_a_team_is_created_with_its_office_and_lead(admin_client, office, admin_user):
    response = admin_client.post(
        "/admin/teams/new/",
        {
            "name": "Mid-Market",
            "description": "",
            "office": office.pk,
            "lead": admin_user.pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    team = Team.objects.get(name="Mid-Market")
    assert (team.office_id, team.lead_id, team.is_active) == (office.pk, admin_user.pk, True)


def test_a_team_is_disbanded_by_unticking_active(admin_client, team):
    admin_client.post(
        f"/admin/teams/{team.pk}/", {"name": team.name, "description": "", "office": team.office_id}
    )
    assert not Team.objects.get(pk=team.pk).is_active


def test_an_office_needs_a_country(admin_client):
    response = admin_client.post(
        "/admin/offices/new/", {"name": "Lisbon", "city": "Lisbon", "timezone": "Europe/Lisbon"}
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Office.objects.filter(name="Lisbon").exists()


def test_an_office_is_created_and_edited(admin_client):
    admin_client.post(
        "/admin/offices/new/",
        {
            "name": "Lisbon",
            "city": "Lisbon",
            "country": "PT",
            "timezone": "Europe/Lisbon",
            "is_active": "on",
        },
    )
    office = Office.objects.get(name="Lisbon")
    admin_client.post(
        f"/admin/offices/{office.pk}/",
        {
            "name": "Lisbon HQ",
            "city": "Lisbon",
            "country": "PT",
            "timezone": "Europe/Lisbon",
            "is_active": "on",
        },
    )
    assert Office.objects.get(pk=office.pk).name == "Lisbon HQ"


def test_the_team_list_counts_active_members_in_constant_queries(
    admin_client, team, make_user, django_assert_num_queries
):
    make_user(team=team)
    admin_client.get("/admin/teams/")  # the first request fills per-process caches
    with CaptureQueriesContext(connection) as first:
        admin_client.get("/admin/teams/")
    for n in range(5):
        extra = Team.objects.create(name=f"Team {n}", office=team.office, lead=make_user())
        make_user(team=extra)
    with django_assert_num_queries(len(first.captured_queries)):
        body = admin_client.get("/admin/teams/").content.decode()
    assert "Team 4" in body
