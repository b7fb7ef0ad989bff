"""Seed the default sales stages and their methodology steps."""

from django.db import migrations

from rapport.pipeline.defaults import stages_ensure_defaults


def seed(apps, schema_editor):
    stages_ensure_defaults(
        stage_model=apps.get_model("pipeline", "Stage"),
        step_model=apps.get_model("pipeline", "MethodologyStep"),
    )


class Migration(migrations.Migration):
    dependencies = [("pipeline", "0002_default_permissions")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
