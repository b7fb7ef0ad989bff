"""Give the standard roles their default rights (administrators may change them afterwards)."""

from django.db import migrations

from rapport.access.permissions import permissions_ensure_defaults


def seed(apps, schema_editor):
    permissions_ensure_defaults(
        role_model=apps.get_model("access", "Role"),
        permission_model=apps.get_model("access", "RolePermission"),
        record_type_keys=("user", "team", "office", "role"),
    )


class Migration(migrations.Migration):
    dependencies = [("access", "0003_permissions")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
