"""Give the standard roles their default rights on this app's record types."""

from django.db import migrations

from rapport.access.permissions import permissions_ensure_defaults


def seed(apps, schema_editor):
    permissions_ensure_defaults(
        role_model=apps.get_model("access", "Role"),
        permission_model=apps.get_model("access", "RolePermission"),
        record_type_keys=('lead', 'qualification_question', 'web_form',),
    )


class Migration(migrations.Migration):
    dependencies = [("leads", "0001_initial"), ("access", "0005_soft_delete")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
