"""Template filters of the pipeline pages."""

from __future__ import annotations

from datetime import timedelta

from django import template
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def stage_duration(value: timedelta | None) -> str:
    """Time in a stage in plain words, to the two largest units: "3 days 4 hours", "20 minutes"."""
    if value is None:
        return ""
    minutes = int(value.total_seconds() // 60)
    if minutes < 1:
        return "under a minute"
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    units = [
        (days, ngettext("%(n)d day", "%(n)d days", days)),
        (hours, ngettext("%(n)d hour", "%(n)d hours", hours)),
        (minutes, ngettext("%(n)d minute", "%(n)d minutes", minutes)),
    ]
    parts = [text % {"n": n} for n, text in units if n]
    return " ".join(parts[:2])
