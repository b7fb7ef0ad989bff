"""Full-text search over records: trigram indexes on PostgreSQL, FTS5 tables on SQLite.

from rapport.fulltext import search_queryset
contacts = search_queryset(Contact.objects.all(), "ann smi", user=request.user)
"""

from rapport.fulltext.query import is_registered, search_queryset, searched_fields

__all__ = ["is_registered", "search_queryset", "searched_fields"]
