"""Permission-aware reads of merges: a person sees the merges whose kept record they may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from rapport.access import permissions
from rapport.core import records
from rapport.quality.merge.models import Merge
from rapport.quality.merge.services import MERGEABLE_TYPES


def merges_visible(viewer: Any) -> QuerySet[Merge]:
    """The merges whose survivor `viewer` may read, newest first (one query when evaluated)."""
    condition = Q(pk__in=[])
    for record_type in MERGEABLE_TYPES:
        model: Any = records.get(record_type).model
        visible = permissions.scope_queryset(viewer, record_type, model._default_manager.all())
        condition |= Q(record_type=record_type, survivor_id__in=visible.values("pk"))
    return Merge.objects.filter(condition).select_related("merged_by", "undone_by")


def visible_choices(viewer: Any, merge: Merge) -> dict[str, Any]:
    """The merge's field choices without the fields hidden from `viewer`."""
    return permissions.strip_hidden(viewer, merge.record_type, merge.field_values)


def visible_previous(viewer: Any, merge: Merge) -> dict[str, Any]:
    """The survivor's values before the merge without the fields hidden from `viewer`."""
    return permissions.strip_hidden(viewer, merge.record_type, merge.previous_values)
