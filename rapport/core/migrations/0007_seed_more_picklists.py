"""Seed the picklists added for the sales core (qualification answers, currency, products,
orders); existing lists and values are left alone."""

from django.db import migrations

from rapport.core.picklist_defaults import ensure_default_picklists


def seed(apps, schema_editor):
    ensure_default_picklists(
        apps.get_model("core", "Picklist"), apps.get_model("core", "PicklistValue")
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0006_savedview")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
