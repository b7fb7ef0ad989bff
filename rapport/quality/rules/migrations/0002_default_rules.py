from typing import Any

from django.db import migrations


def add_defaults(apps: Any, schema_editor: Any) -> None:
    from rapport.quality.rules.defaults import rules_ensure_defaults

    rules_ensure_defaults(apps.get_model("rules", "ValidationRule"))


class Migration(migrations.Migration):
    dependencies = [("rules", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
