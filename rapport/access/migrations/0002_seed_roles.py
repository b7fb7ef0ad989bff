"""Seed the standard roles; administrators may rename or extend them afterwards."""

from django.db import migrations

from rapport.access.roles import ensure_standard_roles


def seed(apps, schema_editor):
    ensure_standard_roles(apps.get_model("access", "Role"))


class Migration(migrations.Migration):
    dependencies = [("access", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
