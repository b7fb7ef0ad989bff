"""Small template helpers of the shell: query strings that keep filters, sortable headers, words."""

from __future__ import annotations

from datetime import timedelta

from django import template
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import ngettext

register = template.Library()


@register.simple_tag
def query_with(request: HttpRequest, **changes: object) -> str:
    """The current query string with some parameters replaced (None or "" removes them).

    Changing a filter or the sort order starts again at the first page.
    """
    params = request.GET.copy()
    params.pop("page", None)
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = str(value)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag
def sort_header(request: HttpRequest, key: str, label: str) -> SafeString:
    """A table header cell that sorts by `key`, flips on a second click and says its state."""
    current = request.GET.get("sort", "")
    if current == key:
        next_sort, state, arrow = f"-{key}", "ascending", "↑"
    elif current == f"-{key}":
        next_sort, state, arrow = key, "descending", "↓"
    else:
        next_sort, state, arrow = key, "none", ""
    href = query_with(request, sort=next_sort)
    return format_html(
        '<th scope="col" aria-sort="{}"><a class="sort" href="{}">{}<span class="sort-arrow" '
        'aria-hidden="true">{}</span></a></th>',
        state,
        href,
        label,
        arrow,
    )


@register.filter
def duration_words(value: timedelta | None) -> str:
    """A duration in plain words: "15 minutes", "2 hours", "1 hour 30 minutes"."""
    if value is None:
        return ""
    minutes = max(1, round(value.total_seconds() / 60))
    hours, minutes = divmod(minutes, 60)
    parts: list[str] = []
    if hours:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    if minutes:
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes})
    return " ".join(parts)


_IRREGULAR_PLURALS = {"Person": "People", "Opportunity": "Opportunities", "Activity": "Activities"}


@register.filter
def plural_label(label: str) -> str:
    """The heading for a group of search hits: "Team" → "Teams", "Person" → "People"."""
    return _IRREGULAR_PLURALS.get(label, f"{label}s")
