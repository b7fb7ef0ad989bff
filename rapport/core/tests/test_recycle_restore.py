"""Delete moves a record to the recycle bin; restore brings it back exactly, relations and all."""

from __future__ import annotations

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from rapport.access import services
from rapport.access.models import Office, Role, Team, User
from rapport.core.models import AuditEntry
from rapport.core.recycle import record_restore, recycle_bin_entries

pytestmark = pytest.mark.django_db


def _state(obj):
    """Every stored value of a record, soft-delete markers and update time aside."""
    values = model_to_dict(type(obj).all_objects.get(pk=obj.pk))
    values.pop("updated_at", None)
    return values


@pytest.fixture
def staffed_team(admin_user, team, make_user):
    services.team_update(
        acting_user=admin_user, team=team, description="Big deals", lead=admin_user
    )
    members = [make_user(team=team, office=team.office) for _ in range(3)]
    return team, members


def test_delete_then_restore_brings_the_team_and_its_members_back_exactly(admin_user, staffed_team):
    team, members = staffed_team
    before = _state(team)
    created_at = Team.objects.get(pk=team.pk).created_at

    services.team_delete(acting_user=admin_user, team=team)
    assert not Team.objects.filter(pk=team.pk).exists()
    assert [e.object_id for e in recycle_bin_entries()] == [team.pk]
    # Members keep their team while it is in the bin.
    assert set(User.objects.filter(team_id=team.pk)) == set(members)

    record_restore(record_type="team", object_id=team.pk, acting_user=admin_user)
    restored = Team.objects.get(pk=team.pk)
    assert _state(restored) == before
    assert restored.created_at == created_at
    assert (restored.deleted_at, restored.deleted_by) == (None, None)
    assert set(restored.members.all()) == set(members)
    assert restored.office == team.office
    assert restored.lead == admin_user
    assert recycle_bin_entries() == []
    actions = [e.action for e in AuditEntry.objects.for_record("team", team.pk)]
    assert actions[:2] == ["restore", "delete"]


def test_an_office_comes_back_with_its_teams_and_people(admin_user, staffed_team, office):
    team, members = staffed_team
    before = _state(office)
    services.office_delete(acting_user=admin_user, office=office)
    assert not Office.objects.filter(pk=office.pk).exists()
    record_restore(record_type="office", object_id=office.pk, acting_user=admin_user)
    assert _state(office) == before
    assert list(Office.objects.get(pk=office.pk).teams.all()) == [team]
    assert set(Office.objects.get(pk=office.pk).users.all()) == set(members)


def test_a_role_nobody_has_comes_back_exactly(admin_user):
    role = Role.objects.get(key="marketing")
    before = _state(role)
    services.role_delete(acting_user=admin_user, role=role)
    assert not Role.objects.filter(pk=role.pk).exists()
    record_restore(record_type="role", object_id=role.pk, acting_user=admin_user)
    assert _state(role) == before


def test_a_role_people_have_stays(admin_user, rep):
    with pytest.raises(services.RoleInUseError, match="another role first"):
        services.role_delete(acting_user=admin_user, role=rep.role)
    assert Role.objects.filter(pk=rep.role_id, deleted_at__isnull=True).exists()


def test_a_deleted_teams_name_cannot_be_taken_while_it_is_in_the_bin(admin_user, team):
    services.team_delete(acting_user=admin_user, team=team)
    with pytest.raises(Exception, match="recycle bin"):
        services.team_create(acting_user=admin_user, name=team.name)
    assert Team.all_objects.filter(name=team.name).count() == 1


def test_restore_through_the_api(token_client, admin_user, staffed_team):
    team, _members = staffed_team
    before = _state(team)
    assert token_client.delete(f"/api/v1/teams/{team.pk}/").status_code == 204
    listing = token_client.get("/api/v1/recycle-bin/").json()
    assert [(e["type"], e["id"], e["name"]) for e in listing] == [
        ("team", team.pk, "Enterprise Sales")
    ]
    assert listing[0]["deleted_by_id"] == admin_user.pk

    response = token_client.post(f"/api/v1/recycle-bin/team/{team.pk}/restore/")
    assert response.status_code == 200
    assert response.json() == {"type": "team", "id": team.pk, "name": "Enterprise Sales"}
    assert _state(team) == before
    assert token_client.get(f"/api/v1/teams/{team.pk}/").json()["member_count"] == 3
    assert token_client.get("/api/v1/recycle-bin/").json() == []


def test_restoring_what_is_not_in_the_bin_is_not_found(token_client, team):
    assert token_client.post(f"/api/v1/recycle-bin/team/{team.pk}/restore/").status_code == 404
    assert token_client.post("/api/v1/recycle-bin/user/1/restore/").status_code == 404
    assert token_client.post("/api/v1/recycle-bin/widget/1/restore/").status_code == 404
    assert Team.objects.filter(pk=team.pk, deleted_at__isnull=True).exists()


def test_restore_from_the_recycle_bin_page_with_htmx(client, admin_user, staffed_team):
    team, _members = staffed_team
    services.team_delete(acting_user=admin_user, team=team)
    client.force_login(admin_user)
    page = client.get(reverse("core:recycle-bin"))
    assert page.status_code == 200
    assert b"Enterprise Sales" in page.content
    assert b"Ada Admin" in page.content

    response = client.post(
        reverse("core:recycle-bin-restore", args=["team", team.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert b"Restored" in response.content
    assert Team.objects.filter(pk=team.pk).exists()


def test_the_delete_page_names_what_happens_then_moves_the_team_to_the_bin(
    client, admin_user, staffed_team
):
    team, _members = staffed_team
    client.force_login(admin_user)
    url = reverse("access:admin-team-delete", args=[team.pk])
    confirm = client.get(url)
    assert b"recycle bin" in confirm.content
    assert b"Its 3 members stay in it" in confirm.content
    assert Team.objects.filter(pk=team.pk).exists()  # a GET changes nothing

    response = client.post(url)
    assert response.status_code == 302
    assert not Team.objects.filter(pk=team.pk).exists()


def test_the_delete_page_refuses_a_role_people_have(client, admin_user, rep):
    client.force_login(admin_user)
    url = reverse("access:admin-role-delete", args=[rep.role_id])
    assert b"give them another role first" in client.get(url).content
    assert client.post(url).status_code == 409
    assert Role.objects.filter(pk=rep.role_id).exists()
