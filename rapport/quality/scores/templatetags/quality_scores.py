"""`{% record_quality "lead" object %}`: the "Data quality" card on a record's page."""

from __future__ import annotations

from typing import Any

from django import template

from rapport.quality.scores import scoring, selectors

register = template.Library()


def quality_context(*, viewer: Any, record_type: str, obj: Any) -> dict[str, Any]:
    """The card's context: the record's score computed now, and the issues the viewer may see."""
    score = (
        scoring.score_record(record_type, obj.pk) if record_type in scoring.SCORED_TYPES else None
    )
    issues = (
        selectors.visible_issues(viewer, record_type, [i.as_json() for i in score.issues])
        if score is not None
        else []
    )
    level = ""
    if score is not None:
        level = "good" if score.score >= 80 else "fair" if score.score >= 60 else "poor"
    return {
        "record_type": record_type,
        "object": obj,
        "score": score,
        "issues": issues,
        "level": level,
    }


@register.inclusion_tag("scores/_record_quality.html", takes_context=True)
def record_quality(context: template.Context, record_type: str, obj: Any) -> dict[str, Any]:
    request = context.get("request")
    viewer = getattr(request, "user", None)
    return quality_context(viewer=viewer, record_type=record_type, obj=obj)
