"""Only administrators open the recycle bin or restore from it; anyone else changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from rapport.access import services
from rapport.access.models import Team, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def deleted_team(admin_user: User, team: Team) -> Team:
    services.team_delete(acting_user=admin_user, team=team)
    return team


@pytest.fixture
def manager(make_user):
    return make_user(role="sales_manager")


def _still_deleted(team: Team) -> bool:
    return Team.all_objects.filter(pk=team.pk, deleted_at__isnull=False).exists()


def test_people_who_are_not_administrators_cannot_open_the_page(client, manager, deleted_team):
    client.force_login(manager)
    assert client.get(reverse("core:recycle-bin")).status_code == 403
    url = reverse("core:recycle-bin-restore", args=["team", deleted_team.pk])
    assert client.post(url).status_code == 403
    assert _still_deleted(deleted_team)


def test_people_signed_out_are_sent_to_sign_in(client, deleted_team):
    response = client.get(reverse("core:recycle-bin"))
    assert response.status_code == 302
    assert reverse("access:login") in response["Location"]


def test_the_api_refuses_people_who_are_not_administrators(manager, deleted_team):
    client = APIClient()
    new = services.api_token_create(acting_user=manager, user=manager, name="tests")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {new.secret}")
    assert client.get("/api/v1/recycle-bin/").status_code == 403
    response = client.post(f"/api/v1/recycle-bin/team/{deleted_team.pk}/restore/")
    assert response.status_code == 403
    assert _still_deleted(deleted_team)


def test_the_api_needs_authentication(api_client, deleted_team):
    assert api_client.get("/api/v1/recycle-bin/").status_code == 401
    assert (
        api_client.post(f"/api/v1/recycle-bin/team/{deleted_team.pk}/restore/").status_code == 401
    )
    assert _still_deleted(deleted_team)


def test_non_administrators_cannot_delete_a_team(manager, team, client):
    client.force_login(manager)
    assert client.post(reverse("access:admin-team-delete", args=[team.pk])).status_code == 403
    assert Team.objects.filter(pk=team.pk).exists()


def test_administrators_see_the_bin_with_its_retention_and_the_nav_link(
    client, admin_user, deleted_team
):
    client.force_login(admin_user)
    page = client.get(reverse("core:recycle-bin"))
    assert page.status_code == 200
    assert b"30 days" in page.content
    assert b"Enterprise Sales" in page.content
    assert reverse("core:recycle-bin").encode() in client.get(reverse("web:home")).content


def test_an_empty_bin_says_so(client, admin_user):
    client.force_login(admin_user)
    assert b"The recycle bin is empty" in client.get(reverse("core:recycle-bin")).content
