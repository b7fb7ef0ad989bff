"""The entry check on record forms: likely duplicates shown above the form before saving."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse

from rapport.quality.dedupe.models import MatchKey
from rapport.quality.dedupe.services import check_duplicates, keys_of_record


def _merge_url(record_type: str, obj: Model, candidate: Any) -> str:
    if obj.pk is None or candidate.record_type != record_type:
        return ""
    try:
        base = reverse("merge:merge")
    except NoReverseMatch:
        return ""
    return f"{base}?type={record_type}&ids={obj.pk},{candidate.record.pk}"


def duplicate_form_check(record_type: str, obj: Model, request: HttpRequest) -> str:
    """Form check (rapport.web.records): a warning with the candidates, unless the person
    ticked "Save anyway" or an edit leaves the matched values as they were."""
    if request.POST.get("allow_duplicate") == "true":
        return ""
    if obj.pk is not None:
        stored = set(
            MatchKey.objects.filter(record_type=record_type, object_id=obj.pk).values_list(
                "key", flat=True
            )
        )
        if stored == keys_of_record(record_type, obj):
            return ""
    candidates = check_duplicates(record_type, obj, viewer=request.user)
    if not candidates:
        return ""
    shown = [
        {
            "name": c.name,
            "url": c.url,
            "percent": round(c.score * 100),
            "reasons": c.reasons,
            "merge_url": _merge_url(record_type, obj, c),
        }
        for c in candidates
    ]
    return render_to_string(
        "dedupe/_duplicate_warning.html", {"candidates": shown}, request=request
    )
