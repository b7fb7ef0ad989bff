"""Full-text indexes on accounts, contacts, leads and opportunities (see rapport.fulltext.schema).

The fields are frozen here: a later change to the searched fields needs its own migration.
"""

from django.db import migrations

from rapport.fulltext import schema

INDEXES = (
    ("account", "customers_account", ("name", "website", "city")),
    ("contact", "customers_contact", ("first_name", "last_name", "email", "phone", "job_title")),
    ("lead", "leads_lead", ("first_name", "last_name", "company", "email", "phone")),
    ("opportunity", "pipeline_opportunity", ("name",)),
)


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for key, table, fields in INDEXES:
        for statement in schema.create_sql(vendor, key, table, fields):
            schema_editor.execute(statement, params=None)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for key, _table, _fields in INDEXES:
        for statement in schema.drop_sql(vendor, key):
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0001_initial"),
        ("leads", "0001_initial"),
        ("pipeline", "0001_initial"),
    ]
    operations = [migrations.RunPython(create, drop, elidable=False)]
