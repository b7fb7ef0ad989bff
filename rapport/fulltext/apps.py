from django.apps import AppConfig


class FulltextConfig(AppConfig):
    """Full-text search over records: PostgreSQL indexes, SQLite FTS5 tables."""

    name = "rapport.fulltext"
    label = "fulltext"
    default_auto_field = "django.db.models.BigAutoField"
