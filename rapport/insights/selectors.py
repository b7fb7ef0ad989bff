"""Reads over usage events: active time and activity counts, set-based or one query + one pass."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db.models import Count
from django.db.models.functions import TruncDate

from rapport.access.models import User
from rapport.core.models import AuditEntry
from rapport.insights.models import UsageEvent

# A gap between two events of a session longer than this is idle time, not use. Pages beat every
# 60 s while their person interacts, so two missed beats in a row mean the person went away.
IDLE_GAP = timedelta(minutes=2)


def active_time(
    user: User, start: datetime, end: datetime, *, idle_gap: timedelta = IDLE_GAP
) -> timedelta:
    """Time the person actively used Rapport in [start, end).

    Per browser session, the sum of the intervals between consecutive sign-ins, page views and
    heartbeats that are at most `idle_gap` long; longer gaps are idle and count for nothing.
    One query ordered by (session, time) and a linear pass; sessions are never joined together.
    """
    rows = (
        UsageEvent.objects.for_sessions()
        .filter(user=user, at__gte=start, at__lt=end)
        .order_by("session_hash", "at")
        .values_list("session_hash", "at")
        .iterator(chunk_size=5000)
    )
    total = timedelta()
    previous_session, previous_at = "", None
    for session, at in rows:
        if session == previous_session and previous_at is not None:
            gap = at - previous_at
            if gap <= idle_gap:
                total += gap
        previous_session, previous_at = session, at
    return total


def event_counts(user: User, start: datetime, end: datetime) -> dict[str, int]:
    """How many events of each kind the person has in [start, end) (one grouped query)."""
    counts = (
        UsageEvent.objects.filter(user=user, at__gte=start, at__lt=end)
        .values_list("kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    return dict(counts)


def page_views_by_area(user: User, start: datetime, end: datetime) -> dict[str, int]:
    """The person's page views in [start, end) per area, most visited first."""
    rows = (
        UsageEvent.objects.filter(
            user=user, kind=UsageEvent.Kind.PAGE_VIEW, at__gte=start, at__lt=end
        )
        .values_list("area")
        .annotate(n=Count("id"))
        .order_by("-n", "area")
    )
    return dict(rows)


def record_changes_per_user_day(start: datetime, end: datetime) -> dict[tuple[int, date], int]:
    """Record creates and updates per (user id, day) in [start, end), from the audit trail.

    The audit trail (core's AuditEntry) is the one record of changes; usage capture does not
    duplicate it. Days are in the server's time zone; changes made by the system (no actor)
    are nobody's usage and are left out. One grouped query.
    """
    rows = (
        AuditEntry.objects.filter(
            at__gte=start,
            at__lt=end,
            action__in=(AuditEntry.Action.CREATE, AuditEntry.Action.UPDATE),
            actor__isnull=False,
        )
        .annotate(day=TruncDate("at"))
        .values_list("actor_id", "day")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {(actor_id, day): n for actor_id, day, n in rows}
