"""The review queue as a person sees it: only pairs whose two records they may both see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse

from rapport.access import permissions
from rapport.core import records
from rapport.quality.dedupe.models import DuplicatePair
from rapport.quality.dedupe.services import visible_reasons

TYPES = ("contact", "lead", "account")


def pairs_for(
    user: Any, *, record_type: str = "", min_score: float | None = None, status: str = "open"
) -> QuerySet[DuplicatePair]:
    """The pairs the person may review, best first (both records visible and alive)."""
    queryset = DuplicatePair.objects.all()
    if status:
        queryset = queryset.filter(status=status)
    if record_type:
        queryset = queryset.filter(record_type=record_type)
    if min_score is not None:
        queryset = queryset.filter(score__gte=min_score)
    first = Q(pk__in=[])
    second = Q(pk__in=[])
    for key in TYPES:
        visible = permissions.scope_queryset(
            user,
            key,
            records.get(key).model.objects.all(),  # type: ignore[attr-defined]
        ).values("pk")
        first |= Q(record_type=key, object_id__in=visible)
        second |= Q(other_type=key, other_id__in=visible)
    return queryset.filter(first).filter(second).order_by("-score", "id")


@dataclass(frozen=True)
class PairView:
    pair: DuplicatePair
    record: Any
    other: Any
    reasons: list[str]


def pair_views(user: Any, pairs: list[DuplicatePair]) -> list[PairView]:
    """Each pair with its two records loaded (one query per type) and the visible reasons."""
    wanted: dict[str, set[int]] = {}
    for pair in pairs:
        wanted.setdefault(pair.record_type, set()).add(pair.object_id)
        wanted.setdefault(pair.other_type, set()).add(pair.other_id)
    loaded: dict[tuple[str, int], Any] = {}
    for key, ids in wanted.items():
        model: Any = records.get(key).model
        found = model.objects.filter(pk__in=ids)
        if key == "contact":
            found = found.select_related("account")
        for obj in permissions.mask_hidden(user, key, found):
            loaded[(key, obj.pk)] = obj
    views = []
    for pair in pairs:
        record = loaded.get((pair.record_type, pair.object_id))
        other = loaded.get((pair.other_type, pair.other_id))
        if record is None or other is None:
            continue
        reasons = visible_reasons(
            user, pair.other_type, visible_reasons(user, pair.record_type, pair.reasons)
        )
        views.append(PairView(pair, record, other, reasons))
    return views


def record_url(record_type: str, pk: int) -> str:
    url_name = records.get(record_type).url_name
    try:
        return reverse(url_name, kwargs={"pk": pk}) if url_name else ""
    except NoReverseMatch:
        return ""


def merge_url(pair: DuplicatePair) -> str:
    """The merge helper's page for the pair, when that page exists (same type only)."""
    if pair.record_type != pair.other_type:
        return ""
    try:
        base = reverse("merge:merge")
    except NoReverseMatch:
        return ""
    return f"{base}?type={pair.record_type}&ids={pair.object_id},{pair.other_id}"
