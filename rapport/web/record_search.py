"""The one place lists (pages and API) ask for full-text search, so both use the same index."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet


def fulltext(queryset: QuerySet[Any], query: str, *, user: Any) -> QuerySet[Any] | None:
    """The queryset narrowed to rows matching `query` by the type's full-text index, or None
    when rapport.fulltext has no index for the model (the caller then searches its own way).
    Fields hidden from the person are not searched."""
    from rapport import fulltext as engine

    is_registered = getattr(engine, "is_registered", None)
    search_queryset = getattr(engine, "search_queryset", None)
    if is_registered is None or search_queryset is None or not is_registered(queryset.model):
        return None
    return search_queryset(queryset, query, user=user)  # type: ignore[no-any-return]
