"""The Data Steward standard role: seeded by the migrations, with rights to read the customer,
lead and pipeline records and to edit the ones whose data it corrects."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from rapport.access.models import Role, RolePermission
from rapport.access.roles import DATA_STEWARD, is_data_steward

pytestmark = pytest.mark.django_db

EDITED = ("account", "contact", "lead")
READ = ("opportunity", "order", "activity", "product", "stage")


def _rights(role: Role) -> dict[str, tuple[bool, bool, bool, bool, str]]:
    return {
        rule.record_type: (
            rule.can_create,
            rule.can_read,
            rule.can_edit,
            rule.can_delete,
            rule.scope,
        )
        for rule in RolePermission.objects.filter(role=role)
    }


def test_the_role_exists_after_the_migrations_with_its_rights():
    role = Role.objects.get(key=DATA_STEWARD)
    assert role.name == "Data Steward"
    assert "suggested corrections" in role.description
    assert (role.is_admin, role.is_manager, role.is_read_only) == (False, False, False)
    rights = _rights(role)
    for key in EDITED:
        assert rights[key] == (False, True, True, False, "all"), key
    for key in READ:
        assert rights[key][:4] == (False, True, False, False), key
    assert "web_form" not in rights  # no rule: no access


def test_the_migration_adds_the_role_and_its_rights_to_an_existing_database():
    Role.objects.filter(key=DATA_STEWARD).delete()  # as before the role existed
    migration = importlib.import_module("rapport.access.migrations.0006_data_steward_role")

    migration.seed(apps, None)
    migration.seed(apps, None)  # running again changes nothing

    role = Role.objects.get(key=DATA_STEWARD)
    rights = _rights(role)
    assert rights["contact"] == (False, True, True, False, "all")
    assert rights["opportunity"][:4] == (False, True, False, False)
    assert RolePermission.objects.filter(role=role, record_type="contact").count() == 1


def test_administrators_and_the_role_are_data_stewards_and_others_are_not(make_user, admin_user):
    assert is_data_steward(make_user(role=DATA_STEWARD))
    assert is_data_steward(admin_user)
    assert not is_data_steward(make_user(role="sales_manager"))
    assert not is_data_steward(make_user(role="read_only"))
