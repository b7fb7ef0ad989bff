"""Add the Data Steward standard role to existing databases, with its default rights.

The record types' own migrations seed every role that exists when they run; on a database where
they ran before this role existed, its rights are seeded here, for every registered record type.
"""

from django.db import migrations

from rapport.access.permissions import permissions_ensure_defaults
from rapport.access.roles import DATA_STEWARD, ensure_standard_roles


def seed(apps, schema_editor):
    role_model = apps.get_model("access", "Role")
    ensure_standard_roles(role_model)
    permissions_ensure_defaults(
        role_model=role_model,
        permission_model=apps.get_model("access", "RolePermission"),
        roles=role_model.objects.filter(key=DATA_STEWARD),
    )


class Migration(migrations.Migration):
    dependencies = [("access", "0005_soft_delete")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
