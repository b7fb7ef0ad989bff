"""A record's history through the API and on its page: only for those who may read the record,
and never with a field hidden from the viewer's role."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.text import slugify
from rest_framework.test import APIClient

from rapport.access import permissions, services
from rapport.access.tests.matrix_types import payload
from rapport.access.tests.test_permission_matrix import SPECS
from rapport.core import records

pytestmark = pytest.mark.django_db


@pytest.fixture
def rep_client(rep) -> APIClient:
    client = APIClient()
    new = services.api_token_create(acting_user=rep, user=rep, name="tests")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {new.secret}")
    return client


def _records(admin_user, team, office, rep):
    return {
        "user": rep,
        "team": team,
        "office": office,
        "role": rep.role,
    }


def test_every_record_type_has_a_history_endpoint(token_client, admin_user, team, office, rep):
    services.user_update(acting_user=admin_user, user=rep, title="AE")
    services.team_update(acting_user=admin_user, team=team, description="Big deals")
    services.office_update(acting_user=admin_user, office=office, city="Berlin-Mitte")
    services.role_update(acting_user=admin_user, role=rep.role, description="Sells")
    objects = _records(admin_user, team, office, rep)
    for key, spec in SPECS.items():
        if key not in objects:  # the other apps' types: made, then edited through the API
            objects[key] = spec.make(admin_user)
            edited = token_client.patch(
                reverse(f"api:{key}-detail", args=[objects[key].pk]),
                payload(spec.api_edit, admin_user),
                format="json",
            )
            assert edited.status_code == 200, (key, edited.content)
    for record_type in records.all_types():
        collection = slugify(str(record_type.label_plural))
        response = token_client.get(f"/api/v1/{collection}/{objects[record_type.key].pk}/history/")
        assert response.status_code == 200, (record_type.key, response.content)
        [latest, *_] = response.json()
        assert latest["action"] == "update"
        assert latest["actor_id"] == admin_user.pk
        assert latest["actor_name"] == "Ada Admin"


def test_history_lists_old_and_new_values_newest_first(token_client, admin_user, team):
    services.team_update(acting_user=admin_user, team=team, description="One")
    services.team_update(acting_user=admin_user, team=team, description="Two")
    body = token_client.get(f"/api/v1/teams/{team.pk}/history/").json()
    assert [e["changes"]["description"] for e in body] == [
        {"old": "One", "new": "Two"},
        {"old": "", "new": "One"},
    ]


def test_history_of_a_missing_record_is_not_found(token_client):
    assert token_client.get("/api/v1/teams/999999/history/").status_code == 404
    assert token_client.get("/api/v1/widgets/1/history/").status_code == 404


def test_history_needs_permission_to_read_the_record(rep_client, admin_user, rep, team):
    services.team_update(acting_user=admin_user, team=team, description="Big deals")
    permissions.permission_set(
        acting_user=admin_user,
        role=rep.role,
        record_type="team",
        can_create=False,
        can_read=False,
        can_edit=False,
        can_delete=False,
        scope="all",
    )
    assert rep_client.get(f"/api/v1/teams/{team.pk}/history/").status_code == 404


def test_a_field_hidden_from_a_role_never_appears_in_its_history(
    client, rep_client, token_client, admin_user, rep, make_user
):
    colleague = make_user(role="sales_rep", first_name="Cleo", last_name="Colleague")
    permissions.field_permission_set(
        acting_user=admin_user,
        role=rep.role,
        record_type="user",
        field_name="phone",
        access="hidden",
    )
    services.user_update(acting_user=admin_user, user=colleague, phone="+49 30 999999")
    services.user_update(acting_user=admin_user, user=colleague, phone="+49 30 888888", title="AE")

    admin_view = token_client.get(f"/api/v1/users/{colleague.pk}/history/").json()
    assert [sorted(e["changes"]) for e in admin_view[:2]] == [["phone", "title"], ["phone"]]

    rep_view = rep_client.get(f"/api/v1/users/{colleague.pk}/history/").json()
    assert "999999" not in str(rep_view)
    assert "888888" not in str(rep_view)
    # The phone-only change is left out entirely; the mixed one keeps only the title.
    assert [e["changes"] for e in rep_view if e["action"] == "update"] == [
        {"title": {"old": "", "new": "AE"}}
    ]

    client.force_login(rep)
    page = client.get(reverse("core:history", args=["user", colleague.pk]))
    assert page.status_code == 200
    assert b"AE" in page.content
    assert b"999999" not in page.content
    assert b"888888" not in page.content
    assert b"Phone" not in page.content


def test_the_record_pages_load_their_history(client, admin_user, team, rep):
    services.team_update(acting_user=admin_user, team=team, description="Big deals")
    client.force_login(admin_user)
    edit_page = client.get(reverse("access:admin-team-edit", args=[team.pk]))
    assert reverse("core:history", args=["team", team.pk]).encode() in edit_page.content
    person_page = client.get(reverse("access:person", args=[rep.pk]))
    assert reverse("core:history", args=["user", rep.pk]).encode() in person_page.content

    fragment = client.get(reverse("core:history", args=["team", team.pk]))
    assert fragment.status_code == 200
    assert b"Big deals" in fragment.content
    assert b"Ada Admin" in fragment.content
    assert b"Description" in fragment.content


def test_the_history_fragment_needs_a_sign_in(client, team):
    response = client.get(reverse("core:history", args=["team", team.pk]))
    assert response.status_code == 302
