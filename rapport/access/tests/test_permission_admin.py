"""Editing the permission matrix: the administration page and /api/v1/permissions/, for
administrators only, every change audited."""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from rapport.access.models import FieldPermission, Role, RolePermission
from rapport.core import records
from rapport.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def _matrix_post(rows=None):
    """The form as the page posts it, from the rules in the database (or `rows`)."""
    data = {}
    for rule in rows if rows is not None else RolePermission.objects.all():
        key = f"{rule.role_id}-{rule.record_type}"
        data[f"scope-{key}"] = rule.scope
        for action in ("create", "read", "edit", "delete"):
            if getattr(rule, f"can_{action}"):
                data[f"{action}-{key}"] = "on"
    return data


def test_the_page_shows_every_role_and_record_type(admin_user):
    html = _client(admin_user).get("/admin/permissions/").content.decode()
    for role in Role.objects.all():
        assert role.name in html
        for record_type in records.all_types():
            assert f'name="scope-{role.pk}-{record_type.key}"' in html


def test_saving_the_page_changes_only_what_changed_and_audits_it(admin_user):
    rep_role = Role.objects.get(key="sales_rep")
    data = _matrix_post()
    data[f"scope-{rep_role.pk}-user"] = "team"
    data[f"edit-{rep_role.pk}-team"] = "on"
    before = AuditEntry.objects.count()
    response = _client(admin_user).post("/admin/permissions/", data)
    assert response.status_code == 302
    assert RolePermission.objects.get(role=rep_role, record_type="user").scope == "team"
    assert RolePermission.objects.get(role=rep_role, record_type="team").can_edit
    entries = AuditEntry.objects.order_by("-id")[: AuditEntry.objects.count() - before]
    assert len(entries) == 2
    assert {tuple(entry.changes) for entry in entries} == {("scope",), ("can_edit",)}
    assert all(entry.actor_id == admin_user.pk for entry in entries)
    # Posting the same matrix again is a no-op: no new entries.
    count = AuditEntry.objects.count()
    _client(admin_user).post("/admin/permissions/", _matrix_post())
    assert AuditEntry.objects.count() == count


def test_field_rules_are_edited_per_role(admin_user):
    rep_role = Role.objects.get(key="sales_rep")
    url = f"/admin/permissions/{rep_role.pk}/fields/"
    assert 'name="field-user-phone"' in _client(admin_user).get(url).content.decode()
    response = _client(admin_user).post(
        url, {"field-user-phone": "hidden", "field-team-description": "read_only"}
    )
    assert response.status_code == 302
    rules = set(FieldPermission.objects.values_list("record_type", "field_name", "access"))
    assert rules == {("user", "phone", "hidden"), ("team", "description", "read_only")}
    _client(admin_user).post(url, {"field-user-phone": "hidden"})
    assert set(FieldPermission.objects.values_list("field_name", flat=True)) == {"phone"}


@pytest.mark.parametrize("role", ["sales_rep", "sales_manager", "read_only"])
def test_only_administrators_reach_the_matrix(role, make_user):
    user = make_user(role=role)
    before = list(RolePermission.objects.values())
    rep_role = Role.objects.get(key="sales_rep")
    assert _client(user).get("/admin/permissions/").status_code == 403
    response = _client(user).post("/admin/permissions/", {f"create-{rep_role.pk}-role": "on"})
    assert response.status_code == 403
    assert _api(user).get("/api/v1/permissions/").status_code == 403
    rule = RolePermission.objects.get(role=rep_role, record_type="role")
    response = _api(user).patch(f"/api/v1/permissions/{rule.pk}/", {"can_edit": True})
    assert response.status_code == 403
    assert list(RolePermission.objects.values()) == before


def test_the_api_lists_and_changes_rules(admin_user):
    api = _api(admin_user)
    listed = api.get("/api/v1/permissions/", {"page_size": 200}).json()["results"]
    assert len(listed) == RolePermission.objects.count()
    rule = RolePermission.objects.get(role__key="sales_rep", record_type="team")
    response = api.patch(
        f"/api/v1/permissions/{rule.pk}/", {"can_edit": True, "scope": "own"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["can_edit"] is True
    rule.refresh_from_db()
    assert (rule.can_edit, rule.scope) == (True, "own")
    entry = AuditEntry.objects.filter(record_type="rolepermission", object_id=rule.pk).first()
    assert entry is not None
    assert entry.changes["scope"] == {"old": "all", "new": "own"}


def test_the_api_refuses_an_unknown_record_type_or_field(admin_user):
    api = _api(admin_user)
    role = Role.objects.get(key="sales_rep")
    response = api.post(
        "/api/v1/permissions/",
        {"role": role.pk, "record_type": "spaceship", "can_read": True, "scope": "all"},
        format="json",
    )
    assert response.status_code == 400
    assert "record_type" in response.json()["error"]["fields"]
    response = api.post(
        "/api/v1/field-permissions/",
        {"role": role.pk, "record_type": "user", "field_name": "password", "access": "hidden"},
        format="json",
    )
    assert response.status_code == 400
    assert "field_name" in response.json()["error"]["fields"]
    assert not FieldPermission.objects.exists()


def test_field_rules_over_the_api_take_effect_at_once(admin_user, rep):
    api = _api(admin_user)
    response = api.post(
        "/api/v1/field-permissions/",
        {"role": rep.role_id, "record_type": "user", "field_name": "email", "access": "hidden"},
        format="json",
    )
    assert response.status_code == 201
    body = _api(rep).get(f"/api/v1/users/{admin_user.pk}/").json()
    assert "email" not in body
    rule_id = response.json()["id"]
    assert api.delete(f"/api/v1/field-permissions/{rule_id}/").status_code == 204
    assert "email" in _api(rep).get(f"/api/v1/users/{admin_user.pk}/").json()
