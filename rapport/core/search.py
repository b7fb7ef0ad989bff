"""Global search: each app registers what it can find; the search box asks all of them.

A registry rather than imports, because core sits below the apps whose records it searches.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rapport.access.models import User


@dataclass(frozen=True)
class SearchHit:
    """One search result, ready to show."""

    kind: str  # e.g. "user", "team"
    kind_label: str  # e.g. "Person", "Team"
    record_id: int
    title: str
    subtitle: str
    url: str


SearchProvider = Callable[["User", str, int], Sequence[SearchHit]]

_providers: dict[str, SearchProvider] = {}


def register(kind: str, provider: SearchProvider) -> None:
    """Register the provider answering for records of `kind` (one per kind)."""
    _providers[kind] = provider


def search(*, user: User, query: str, limit_per_kind: int = 5) -> list[SearchHit]:
    """Hits for `query` the user may see, grouped by kind in registration order."""
    query = query.strip()
    if len(query) < 2:
        return []
    hits: list[SearchHit] = []
    for provider in _providers.values():
        hits.extend(provider(user, query, limit_per_kind))
    return hits
