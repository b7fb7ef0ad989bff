"""Seed the default picklists; administrators may change them afterwards."""

from django.db import migrations

from rapport.core.picklist_defaults import ensure_default_picklists


def seed(apps, schema_editor):
    ensure_default_picklists(
        apps.get_model("core", "Picklist"), apps.get_model("core", "PicklistValue")
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0004_picklists")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
