"""Every write of the organisation's records leaves old → new per changed field and who did it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from rapport.access import services
from rapport.access.models import Role, Team
from rapport.core.audit import SECRET_CHANGED
from rapport.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _entries(record_type: str, object_id: int) -> list[AuditEntry]:
    return list(AuditEntry.objects.for_record(record_type, object_id))


def test_creating_a_user_records_each_value_and_the_acting_user(admin_user, team):
    user = services.user_create(
        acting_user=admin_user,
        email="new@example.com",
        first_name="Nia",
        last_name="New",
        team=team,
    )
    [entry] = _entries("user", user.pk)
    assert entry.action == "create"
    assert entry.actor == admin_user
    assert entry.changes["email"] == {"old": None, "new": "new@example.com"}
    assert entry.changes["team"] == {
        "old": None,
        "new": {"id": team.pk, "repr": "Enterprise Sales"},
    }
    assert "password" not in entry.changes


def test_updating_a_user_records_old_and_new_of_each_changed_field_only(admin_user, rep, team):
    services.user_update(acting_user=admin_user, user=rep, title="Account Executive", team=team)
    [entry] = _entries("user", rep.pk)
    assert entry.action == "update"
    assert entry.actor == admin_user
    assert entry.object_repr == "Rita Rep"
    assert entry.changes == {
        "team": {"old": None, "new": {"id": team.pk, "repr": "Enterprise Sales"}},
        "title": {"old": "", "new": "Account Executive"},
    }


def test_a_no_op_update_writes_no_entry(admin_user, rep):
    services.user_update(acting_user=admin_user, user=rep, first_name=rep.first_name)
    services.profile_update(acting_user=rep, last_name=rep.last_name)
    assert _entries("user", rep.pk) == []


def test_a_profile_change_is_recorded_as_made_by_the_person(rep):
    services.profile_update(acting_user=rep, phone="+49 30 1234567")
    [entry] = _entries("user", rep.pk)
    assert entry.actor == rep
    assert entry.changes == {"phone": {"old": "", "new": "+49 30 1234567"}}


def test_deactivate_and_reactivate_are_recorded_once_each(admin_user, rep):
    services.user_deactivate(acting_user=admin_user, user=rep)
    services.user_deactivate(acting_user=admin_user, user=rep)  # already inactive: nothing new
    services.user_reactivate(acting_user=admin_user, user=rep)
    actions = [(e.action, e.changes) for e in reversed(_entries("user", rep.pk))]
    assert actions == [
        ("deactivate", {"is_active": {"old": True, "new": False}}),
        ("reactivate", {"is_active": {"old": False, "new": True}}),
    ]


def test_a_password_change_is_recorded_without_the_password(admin_user, rep):
    services.user_set_password(acting_user=admin_user, user=rep, password="a-new-secret-42")
    [entry] = _entries("user", rep.pk)
    assert entry.changes == {"password": {"old": SECRET_CHANGED, "new": SECRET_CHANGED}}
    assert "a-new-secret-42" not in str(entry.changes)
    assert rep.password not in str(entry.changes)


@pytest.mark.parametrize(
    ("create", "update", "record_type", "fields", "change"),
    [
        (
            services.role_create,
            services.role_update,
            "role",
            {"key": "partner", "name": "Partner"},
            {"description": "Looks after partners"},
        ),
        (
            services.team_create,
            services.team_update,
            "team",
            {"name": "Inside Sales"},
            {"description": "Phones all day"},
        ),
        (
            services.office_create,
            services.office_update,
            "office",
            {"name": "Lyon", "country": "FR", "timezone": "Europe/Paris"},
            {"city": "Lyon"},
        ),
    ],
)
def test_roles_teams_and_offices_record_create_and_update(
    admin_user, create, update, record_type, fields, change
):
    record = create(acting_user=admin_user, **fields)
    update(acting_user=admin_user, **{record_type: record}, **change)
    update(acting_user=admin_user, **{record_type: record}, **change)  # no-op: no entry
    updated, created = _entries(record_type, record.pk)
    assert (created.action, updated.action) == ("create", "update")
    assert {created.actor, updated.actor} == {admin_user}
    for name, value in fields.items():
        assert created.changes[name] == {"old": None, "new": value}
    [(name, value)] = change.items()
    assert updated.changes == {name: {"old": "", "new": value}}


def test_a_renamed_role_keeps_the_old_name_in_its_history(admin_user):
    role = Role.objects.get(key="marketing")
    services.role_update(acting_user=admin_user, role=role, name="Growth")
    [entry] = _entries("role", role.pk)
    assert entry.changes == {"name": {"old": "Marketing", "new": "Growth"}}


def test_changing_a_teams_office_records_both_offices(admin_user, team, office):
    other = services.office_create(acting_user=admin_user, name="Paris", country="FR")
    services.team_update(acting_user=admin_user, team=team, office=other)
    [entry] = _entries("team", team.pk)
    assert entry.changes == {
        "office": {
            "old": {"id": office.pk, "repr": "Berlin"},
            "new": {"id": other.pk, "repr": "Paris"},
        }
    }


def test_deleting_a_team_is_recorded_with_who_deleted_it(admin_user, team):
    services.team_delete(acting_user=admin_user, team=team)
    [entry] = _entries("team", team.pk)
    assert (entry.action, entry.actor) == ("delete", admin_user)
    assert Team.all_objects.get(pk=team.pk).deleted_by == admin_user


def test_api_tokens_record_creation_and_revocation_but_never_the_secret(rep):
    expires = timezone.now() + timedelta(days=30)
    new = services.api_token_create(acting_user=rep, user=rep, name="ERP sync", expires_at=expires)
    services.api_token_revoke(acting_user=rep, token=new.token)
    services.api_token_revoke(acting_user=rep, token=new.token)  # already revoked: nothing new
    revoked, created = _entries("token", new.token.pk)
    assert created.action == "create"
    assert created.changes["name"] == {"old": None, "new": "ERP sync"}
    assert created.changes["user"] == {"old": None, "new": {"id": rep.pk, "repr": "Rita Rep"}}
    assert new.secret not in str(created.changes)
    assert new.token.key_digest not in str(created.changes)
    assert revoked.changes["revoked_at"]["old"] is None
    assert revoked.actor == rep


def test_an_entry_is_written_in_the_same_transaction_as_the_change(admin_user, team):
    with pytest.raises(Exception, match="name"):
        services.team_update(acting_user=admin_user, team=team, name="")
    assert _entries("team", team.pk) == []


def test_changes_made_through_a_request_carry_its_address_and_id(token_client, team):
    response = token_client.patch(
        f"/api/v1/teams/{team.pk}/",
        {"description": "Big deals"},
        format="json",
        REMOTE_ADDR="203.0.113.9",
        HTTP_X_REQUEST_ID="req-42",
    )
    assert response.status_code == 200
    [entry] = _entries("team", team.pk)
    assert (entry.ip_address, entry.request_id) == ("203.0.113.9", "req-42")


def test_without_a_request_id_header_one_is_made_up(client, admin_user, team):
    client.force_login(admin_user)
    client.post(
        f"/admin/teams/{team.pk}/delete/",
        REMOTE_ADDR="198.51.100.7",
    )
    [entry] = _entries("team", team.pk)
    assert entry.ip_address == "198.51.100.7"
    assert len(entry.request_id) == 32


def test_changes_made_outside_a_request_have_no_address(admin_user, team):
    services.team_update(acting_user=admin_user, team=team, description="Big deals")
    [entry] = _entries("team", team.pk)
    assert (entry.ip_address, entry.request_id) == (None, "")


def test_a_json_value_that_is_a_dict_is_compared_whole_not_as_a_linked_record():
    from rapport.core.audit import Json, diff

    before: dict[str, Json] = {"weights": {"phone": 2.0}, "owner": {"id": 1, "repr": "Ann"}}
    after: dict[str, Json] = {"weights": {"phone": 3.0}, "owner": {"id": 1, "repr": "Ann Lee"}}
    assert diff(before, after) == {
        "weights": {"old": {"phone": 2.0}, "new": {"phone": 3.0}},
    }
    assert diff({"data": {"id": 1, "x": 1}}, {"data": {"id": 1, "x": 2}}) == {
        "data": {"old": {"id": 1, "x": 1}, "new": {"id": 1, "x": 2}}
    }
