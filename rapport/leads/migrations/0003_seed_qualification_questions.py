"""Seed the ten default qualification questions, in the order a rep asks them."""

from django.db import migrations

from rapport.leads.qualification_defaults import ensure_default_questions


def seed(apps, schema_editor):
    ensure_default_questions(
        apps.get_model("leads", "QualificationQuestion"), apps.get_model("core", "Picklist")
    )


class Migration(migrations.Migration):
    dependencies = [("leads", "0002_default_permissions"), ("core", "0007_seed_more_picklists")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
