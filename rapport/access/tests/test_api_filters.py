"""Field filters, search and ordering on every organisation list."""

from __future__ import annotations

import pytest

from rapport.access.models import Office, Role, Team

pytestmark = pytest.mark.django_db


def _emails(response):
    assert response.status_code == 200, response.json()
    return [row["email"] for row in response.json()["results"]]


def test_users_filter_by_role_key_or_id(token_client, rep, make_user):
    make_user(role="marketing", email="mkt@example.com")
    role = Role.objects.get(key="marketing")
    assert _emails(token_client.get("/api/v1/users/?role=marketing")) == ["mkt@example.com"]
    assert _emails(token_client.get(f"/api/v1/users/?role={role.pk}")) == ["mkt@example.com"]


def test_users_filter_by_team_office_manager_grade_and_activity(
    token_client, make_user, team, office
):
    boss = make_user(role="sales_manager", email="boss@example.com")
    make_user(email="a@example.com", team=team, office=office, manager=boss, grade=3)
    make_user(email="b@example.com", is_active=False, grade=4)
    assert _emails(token_client.get(f"/api/v1/users/?team={team.pk}")) == ["a@example.com"]
    assert _emails(token_client.get(f"/api/v1/users/?office={office.pk}")) == ["a@example.com"]
    assert _emails(token_client.get(f"/api/v1/users/?manager={boss.pk}")) == ["a@example.com"]
    assert _emails(token_client.get("/api/v1/users/?grade=3")) == ["a@example.com"]
    assert _emails(token_client.get("/api/v1/users/?is_active=false")) == ["b@example.com"]


def test_records_are_found_by_their_external_id(token_client, make_user):
    make_user(email="hr@example.com", external_id="HR-42")
    assert _emails(token_client.get("/api/v1/users/?external_id=HR-42")) == ["hr@example.com"]


def test_a_filter_value_of_the_wrong_type_is_a_400_naming_the_filter(token_client):
    response = token_client.get("/api/v1/users/?team=abc")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["team"]


def test_users_are_searched_by_name_email_and_title(token_client, make_user):
    make_user(email="grace@example.com", first_name="Grace", last_name="Hopper", title="Admiral")
    assert _emails(token_client.get("/api/v1/users/?search=hopper")) == ["grace@example.com"]
    assert _emails(token_client.get("/api/v1/users/?search=admiral")) == ["grace@example.com"]


def test_lists_sort_by_an_allowed_field(token_client, make_user):
    make_user(email="zed@example.com", last_name="Zed")
    make_user(email="abe@example.com", last_name="Abe")
    emails = _emails(token_client.get("/api/v1/users/?ordering=-last_name"))
    assert emails.index("zed@example.com") < emails.index("abe@example.com")


def test_sorting_by_a_field_not_allowed_is_a_400_listing_the_allowed_ones(token_client):
    response = token_client.get("/api/v1/users/?ordering=password")
    assert response.status_code == 400
    assert "last_name" in response.json()["error"]["fields"]["ordering"][0]


def test_teams_filter_by_office_and_activity(token_client, team, office):
    Team.objects.create(name="Closed", is_active=False)
    names = [
        t["name"] for t in token_client.get(f"/api/v1/teams/?office={office.pk}").json()["results"]
    ]
    assert names == [team.name]
    names = [
        t["name"] for t in token_client.get("/api/v1/teams/?is_active=false").json()["results"]
    ]
    assert names == ["Closed"]


def test_offices_filter_by_country_and_activity(token_client, office):
    Office.objects.create(name="Paris", country="FR", is_active=False)
    names = [o["name"] for o in token_client.get("/api/v1/offices/?country=de").json()["results"]]
    assert names == ["Berlin"]
    names = [
        o["name"] for o in token_client.get("/api/v1/offices/?is_active=false").json()["results"]
    ]
    assert names == ["Paris"]


def test_roles_are_searched_by_name(token_client):
    keys = [r["key"] for r in token_client.get("/api/v1/roles/?search=read").json()["results"]]
    assert keys == ["read_only"]


@pytest.mark.parametrize("value", ["0", "99999999999999999999"])
def test_an_id_filter_out_of_range_is_a_400_not_a_crash(token_client, value):
    response = token_client.get(f"/api/v1/users/?team={value}")
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["team"]


def test_a_huge_numeric_role_finds_nobody_instead_of_crashing(token_client):
    assert _emails(token_client.get("/api/v1/users/?role=99999999999999999999")) == []
