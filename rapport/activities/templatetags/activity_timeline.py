"""Template helpers of the timeline fragment."""

from __future__ import annotations

from typing import Any

from django import template

from rapport.access import permissions
from rapport.activities.timeline import SUBJECT_TYPES

register = template.Library()


@register.simple_tag(takes_context=True)
def timeline_reference(context: template.Context) -> str:
    """The reference ("contact:5") of the record a timeline belongs to, if the viewer may log
    activities; "" otherwise.

    Taken from `timeline_ref` when the page gives one, else from a record page's `object` and
    `record_type` (what rapport.web.records.RecordDetail puts in the context).
    """
    request = context.get("request")
    user: Any = getattr(request, "user", None)
    if user is None or not permissions.policy_for(user, "activity").can("create"):
        return ""
    given = context.get("timeline_ref")
    if given:
        return str(given)
    record_type = getattr(context.get("record_type"), "key", None)
    pk = getattr(context.get("object"), "pk", None)
    if record_type in SUBJECT_TYPES and pk is not None:
        return f"{record_type}:{pk}"
    return ""
