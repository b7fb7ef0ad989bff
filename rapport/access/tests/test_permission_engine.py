"""The permission engine: defaults, scopes, denials, caching, and the rules it never bends."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from rapport.access import permissions
from rapport.access.models import FieldPermission, Office, Role, RolePermission, Team, User
from rapport.access.permissions import default_rule
from rapport.core import records

pytestmark = pytest.mark.django_db


def _set(role_key, record_type, *, scope="all", **actions):
    RolePermission.objects.update_or_create(
        role=Role.objects.get(key=role_key),
        record_type=record_type,
        defaults={
            "can_create": actions.get("create", False),
            "can_read": actions.get("read", True),
            "can_edit": actions.get("edit", False),
            "can_delete": actions.get("delete", False),
            "scope": scope,
        },
    )


def _fresh(user):
    return User.objects.select_related("role").get(pk=user.pk)


def test_the_defaults_let_administrators_do_everything_and_others_read_the_organisation(
    make_user,
):
    admin = make_user(role="administrator")
    rep = make_user(role="sales_rep")
    viewer = make_user(role="read_only")
    for record_type in ("user", "team", "office", "role"):
        assert permissions.policy_for(admin, record_type).actions == set(permissions.ACTIONS)
        assert permissions.policy_for(rep, record_type).actions == {"read"}
        assert permissions.policy_for(viewer, record_type).actions == {"read"}
        assert permissions.policy_for(rep, record_type).scope == "all"


def test_ensuring_the_defaults_twice_creates_nothing_the_second_time():
    RolePermission.objects.all().delete()
    assert permissions.permissions_ensure_defaults() > 0
    assert permissions.permissions_ensure_defaults() == 0


def test_a_missing_rule_means_no_access(make_user, team):
    rep = make_user(role="sales_rep")
    RolePermission.objects.filter(role=rep.role, record_type="team").delete()
    rep = _fresh(rep)
    assert not permissions.policy_for(rep, "team").can("read")
    assert not permissions.scope_queryset(rep, "team", Team.objects.all()).exists()
    with pytest.raises(PermissionDenied):
        permissions.check(rep, "read", "team", team)


def test_a_person_without_a_role_has_no_access(make_user):
    nobody = make_user()
    nobody.role = None
    assert permissions.policies_for(nobody) == {}


def test_superusers_bypass_the_rules_but_a_read_only_role_never_writes(make_user):
    boss = make_user(role="sales_rep", is_superuser=True)
    assert permissions.policy_for(boss, "role").actions == set(permissions.ACTIONS)
    looker = make_user(role="read_only", is_superuser=True)
    assert permissions.policy_for(looker, "role").actions == {"read"}
    _set("read_only", "team", create=True, edit=True, delete=True)
    assert permissions.policy_for(_fresh(make_user(role="read_only")), "team").actions == {"read"}


def test_the_rules_are_read_in_one_query_and_kept_for_the_request(
    make_user, django_assert_num_queries
):
    rep = _fresh(make_user(role="sales_rep"))
    with django_assert_num_queries(1):
        permissions.policies_for(rep)
    with django_assert_num_queries(0):
        for record_type in records.all_types():
            permissions.policy_for(rep, record_type.key)
    permissions.forget(rep)
    with django_assert_num_queries(1):
        permissions.policy_for(rep, "user")


def test_an_unknown_record_type_fails_loudly(make_user):
    with pytest.raises(KeyError):
        permissions.policy_for(make_user(role="sales_rep"), "spaceship")


def test_own_scope_shows_only_oneself_for_people(make_user):
    rep = make_user(role="sales_rep")
    other = make_user(role="sales_rep")
    _set("sales_rep", "user", scope="own")
    rep = _fresh(rep)
    assert list(permissions.scope_queryset(rep, "user", User.objects.all())) == [rep]
    with pytest.raises(Http404):
        permissions.check(rep, "read", "user", other)
    # Out of scope answers 404 whatever the action, so the record's existence does not leak.
    with pytest.raises(Http404):
        permissions.check(rep, "edit", "user", other)
    with pytest.raises(PermissionDenied):
        permissions.check(rep, "edit", "user", rep)


def test_team_scope_shows_the_team(make_user, team, office):
    other_team = Team.objects.create(name="Elsewhere", office=office)
    rep = make_user(role="sales_rep", team=team)
    mate = make_user(role="sales_rep", team=team)
    stranger = make_user(role="sales_rep", team=other_team)
    _set("sales_rep", "user", scope="team")
    seen = set(permissions.scope_queryset(_fresh(rep), "user", User.objects.all()))
    assert {rep, mate} <= seen
    assert stranger not in seen


def test_subordinates_scope_follows_the_manager_hierarchy(make_user):
    manager = make_user(role="sales_manager")
    report = make_user(role="sales_rep", manager=manager)
    indirect = make_user(role="sales_rep", manager=report)
    peer = make_user(role="sales_manager")
    _set("sales_manager", "user", scope="subordinates")
    seen = set(permissions.scope_queryset(_fresh(manager), "user", User.objects.all()))
    assert seen == {manager, report, indirect}
    assert peer not in seen


def test_scopes_follow_the_owner_path_of_other_types(make_user, office):
    manager = make_user(role="sales_manager")
    led = Team.objects.create(name="Led", lead=manager)
    Team.objects.create(name="Not led")
    _set("sales_manager", "team", scope="own")
    assert list(permissions.scope_queryset(_fresh(manager), "team", Team.objects.all())) == [led]


def test_records_without_an_owner_are_only_shown_by_the_all_scope(make_user, office):
    _set("sales_rep", "office", scope="team")
    rep = _fresh(make_user(role="sales_rep"))
    assert not permissions.scope_queryset(rep, "office", Office.objects.all()).exists()


def test_field_rules_hide_or_protect_fields(make_user):
    role = Role.objects.get(key="sales_rep")
    FieldPermission.objects.create(
        role=role, record_type="user", field_name="phone", access="hidden"
    )
    FieldPermission.objects.create(
        role=role, record_type="user", field_name="title", access="read_only"
    )
    rep = make_user(role="sales_rep")
    policy = permissions.policy_for(rep, "user")
    assert policy.hidden_fields == {"phone"}
    assert policy.read_only_fields == {"title"}
    assert permissions.strip_hidden(rep, "user", {"phone": "1", "email": "a@b.c"}) == {
        "email": "a@b.c"
    }
    assert permissions.visible_fields(rep, "user", ["email", "phone"]) == ["email"]
    assert permissions.protected_fields_in(rep, "user", ["phone", "title", "email"]) == [
        "phone",
        "title",
    ]


def test_a_field_rule_must_name_a_secured_field():
    rule = FieldPermission(
        role=Role.objects.get(key="sales_rep"),
        record_type="user",
        field_name="password",
        access="hidden",
    )
    with pytest.raises(ValidationError, match="not a secured field"):
        rule.full_clean()


def test_a_rule_must_name_a_registered_record_type():
    rule = RolePermission(role=Role.objects.get(key="sales_rep"), record_type="spaceship")
    with pytest.raises(ValidationError, match="not a record type"):
        rule.full_clean()


def test_a_new_role_starts_with_the_defaults_without_re_granting_others(admin_user):
    from rapport.access.services import role_create

    RolePermission.objects.filter(role__key="marketing", record_type="team").delete()
    role = role_create(acting_user=admin_user, key="partner", name="Partner")
    granted = RolePermission.objects.filter(role=role)
    readable_by_all = {
        t.key for t in records.all_types() if default_rule("partner", t.key) is not None
    }
    assert {"user", "team", "office", "role"} <= readable_by_all
    assert {rule.record_type for rule in granted} == readable_by_all
    assert all(rule.can_read and not rule.can_edit for rule in granted)
    assert not RolePermission.objects.filter(role__key="marketing", record_type="team").exists()
