"""Editing a person keeps a team, office or manager that was deleted, closed or deactivated."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from rapport.access.models import Team, User
from rapport.access.services import team_delete, user_deactivate


@pytest.fixture
def admin_client(admin_user):
    client = Client()
    client.force_login(admin_user)
    return client


def _select(page: Any, name: str) -> str:
    """The HTML of one <select> of the page."""
    html: str = page.content.decode()
    start = html.index(f'name="{name}"')
    return html[start : html.index("</select>", start)]


def _edit_form(person: User) -> dict[str, object]:
    return {
        "first_name": person.first_name,
        "last_name": "Renamed",
        "email": person.email,
        "title": "",
        "phone": "",
        "role": person.role_id,
        "team": person.team_id or "",
        "office": person.office_id or "",
        "location": "",
        "grade": "",
        "manager": person.manager_id or "",
        "external_id": "",
    }


def test_saving_a_member_of_a_deleted_team_keeps_them_in_it_for_a_restore(
    admin_client, admin_user, make_user, team
):
    boss = make_user(role="sales_manager")
    member = make_user(team=team, office=team.office, manager=boss)
    team_delete(acting_user=admin_user, team=team)
    user_deactivate(acting_user=admin_user, user=boss)

    page = admin_client.get(reverse("access:admin-user-edit", args=[member.pk]))
    assert f'value="{team.pk}" selected' in _select(page, "team")

    response = admin_client.post(
        reverse("access:admin-user-edit", args=[member.pk]), _edit_form(member)
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.last_name == "Renamed"
    assert member.team_id == team.pk
    assert member.manager_id == boss.pk
    assert Team.all_objects.get(pk=team.pk).deleted_at is not None


def test_a_deleted_team_is_not_offered_to_anyone_else(admin_client, admin_user, make_user, team):
    team_delete(acting_user=admin_user, team=team)
    other = make_user()

    page = admin_client.get(reverse("access:admin-user-edit", args=[other.pk]))

    assert f'value="{team.pk}"' not in _select(page, "team")
