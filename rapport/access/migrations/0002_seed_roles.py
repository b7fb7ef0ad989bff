"""Seed the standard roles; administrators may rename or extend them afterwards."""

from django.db import migrations

ROLES = [
    # key, name, description, is_admin, is_manager, is_read_only
    ("sales_rep", "Sales Rep", "Works leads and opportunities through the pipeline.", False, False, False),
    ("sales_manager", "Sales Manager", "Leads a sales team; reviews pipeline, KPIs and exceptions.", False, True, False),
    ("service_agent", "Service Agent", "Resolves customer cases.", False, False, False),
    ("service_manager", "Service Manager", "Leads service agents; owns queues, SLAs and escalations.", False, True, False),
    ("marketing", "Marketing", "Runs campaigns and segments; hands qualified leads to sales.", False, False, False),
    ("executive", "Executive", "Oversees the business through dashboards and reviews.", False, True, False),
    ("administrator", "Administrator", "Manages users, roles, teams, offices and settings.", True, False, False),
    ("read_only", "Read-only", "Looks at records and reports but never changes them.", False, False, True),
]


def seed(apps, schema_editor):
    Role = apps.get_model("access", "Role")
    for order, (key, name, description, is_admin, is_manager, is_read_only) in enumerate(ROLES):
        Role.objects.get_or_create(
            key=key,
            defaults={
                "name": name,
                "description": description,
                "is_admin": is_admin,
                "is_manager": is_manager,
                "is_read_only": is_read_only,
                "sort_order": order * 10,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("access", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
