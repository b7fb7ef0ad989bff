"""PostgreSQL: text search vectors replace the trigram indexes of 0001 (word prefixes, as SQLite
finds them; no row rechecks). SQLite keeps its FTS5 tables."""

from django.db import migrations

from rapport.fulltext import schema

INDEXES = (
    ("account", "customers_account", ("name", "website", "city")),
    ("contact", "customers_contact", ("first_name", "last_name", "email", "phone", "job_title")),
    ("lead", "leads_lead", ("first_name", "last_name", "company", "email", "phone")),
    ("opportunity", "pipeline_opportunity", ("name",)),
)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for key, table, fields in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "fulltext_{key}_trgm"', params=None)
        for statement in schema.create_sql("postgresql", key, table, fields):
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("fulltext", "0001_search_indexes")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
