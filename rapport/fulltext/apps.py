from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate

# The fields each record type is searched by. The migrations create the indexes over the same
# fields; changing a list here needs a migration that drops and re-creates that type's index.
SEARCHED_FIELDS: dict[str, tuple[str, ...]] = {
    "account": ("name", "website", "city"),
    "contact": ("first_name", "last_name", "email", "phone", "job_title"),
    "lead": ("first_name", "last_name", "company", "email", "phone"),
    "opportunity": ("name",),
}


class FulltextConfig(AppConfig):
    """Full-text search over records: PostgreSQL indexes, SQLite FTS5 tables."""

    name = "rapport.fulltext"
    label = "fulltext"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from rapport.core import records
        from rapport.core import search as global_search
        from rapport.fulltext import providers, registry

        for key, fields in SEARCHED_FIELDS.items():
            registry.register(key, records.get(key).model, fields)
        global_search.register("account", providers.search_accounts)
        global_search.register("contact", providers.search_contacts)
        global_search.register("lead", providers.search_leads)
        global_search.register("opportunity", providers.search_opportunities)
        # Database plumbing, not a business side effect: after every migrate, put back index
        # objects a later migration of the records' own apps removed (see schema.repair).
        post_migrate.connect(_repair_indexes, sender=self, dispatch_uid="fulltext-repair")


def _repair_indexes(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    from rapport.fulltext import registry, schema

    connection = connections[using]
    applied = MigrationRecorder(connection).applied_migrations()
    if ("fulltext", "0001_search_indexes") not in applied:
        return  # unmigrated (e.g. `migrate fulltext zero`): nothing to repair
    schema.repair(
        connection, [(i.record_type_key, i.table, i.fields) for i in registry.all_indexed()]
    )
