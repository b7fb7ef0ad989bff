"""The timeline of a record (customer 360): what happened on it, newest first, from every app.

Apps register a provider per kind of entry they contribute (activities here; opportunities, orders,
cases, … from their own apps) and pages ask `timeline_for`:

    register_provider("orders", orders_on_timeline)
    entries = timeline_for(viewer=request.user, subject_type="account", subject=account)

A provider answers for the subject types it knows and returns [] for the others; it applies the
viewer's permissions itself and runs a constant number of queries whatever the number of rows.
Render the result with `{% include "activities/_timeline.html" %}` and `timeline_entries` in the
context: open tasks (`pinned` entries) show first under "Next up", then the rest newest first.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, Protocol

from django.db.models import Model, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from rapport.access import permissions
from rapport.activities.models import Activity

SUBJECT_TYPES: tuple[str, ...] = ("account", "contact", "lead", "opportunity")

KIND_ICONS: dict[str, str] = {
    Activity.Kind.CALL: "phone",
    Activity.Kind.MEETING: "calendar-days",
    Activity.Kind.EMAIL: "envelope",
    Activity.Kind.TASK: "check-circle",
    Activity.Kind.NOTE: "pencil-square",
}

# How many open tasks "Next up" shows at most.
NEXT_UP_LIMIT = 20
NOTES_EXCERPT_CHARS = 160


@dataclass(frozen=True)
class TimelineEntry:
    """One line of a record's timeline."""

    at: datetime.datetime
    kind: str  # e.g. "call", "opportunity", "order": what the entry is
    icon: str  # a heroicon name, e.g. "phone"
    title: str
    subtitle: str = ""
    url: str = ""
    badge: str = ""
    # The colour of the badge: one of the picklist colours (gray, blue, green, amber, red, …).
    badge_tone: str = "gray"
    # Open tasks: shown at the top under "Next up", soonest due first.
    pinned: bool = False
    # The activity behind the entry, when it is one, and whether the viewer may tick it off.
    activity_id: int | None = None
    can_complete: bool = False


class TimelineProvider(Protocol):
    def __call__(
        self, *, viewer: Any, subject_type: str, subject: Model, limit: int
    ) -> list[TimelineEntry]: ...


_providers: dict[str, TimelineProvider] = {}


def register_provider(key: str, provider: TimelineProvider) -> None:
    """Add (or replace) the provider registered under `key`."""
    _providers[key] = provider


def unregister_provider(key: str) -> None:
    """Remove a provider (for tests)."""
    _providers.pop(key, None)


def providers() -> dict[str, TimelineProvider]:
    """The registered providers by key, in registration order."""
    return dict(_providers)


def timeline_for(
    *, viewer: Any, subject_type: str, subject: Model, limit: int = 50
) -> list[TimelineEntry]:
    """The record's timeline: pinned entries (open tasks) soonest first, then the rest newest first.

    At most `limit` unpinned entries; each provider runs its own constant number of queries.
    """
    pinned: list[TimelineEntry] = []
    rest: list[TimelineEntry] = []
    for provider in _providers.values():
        for entry in provider(
            viewer=viewer, subject_type=subject_type, subject=subject, limit=limit
        ):
            (pinned if entry.pinned else rest).append(entry)
    pinned.sort(key=lambda entry: entry.at)
    rest.sort(key=lambda entry: entry.at, reverse=True)
    return pinned + rest[:limit]


# The activities provider ------------------------------------------------------------------------


def activities_about(subject_type: str, subject: Model) -> Q:
    """The activities that concern a record; an account's include its contacts' and deals'."""
    from rapport.customers.models import Contact
    from rapport.pipeline.models import Opportunity

    if subject_type == "account":
        contacts = Contact.all_objects.filter(account_id=subject.pk).values("pk")
        deals = Opportunity.all_objects.filter(account_id=subject.pk).values("pk")
        return Q(account_id=subject.pk) | Q(contact_id__in=contacts) | Q(opportunity_id__in=deals)
    if subject_type in SUBJECT_TYPES:
        return Q(**{f"{subject_type}_id": subject.pk})
    raise ValueError(f"Activities do not concern {subject_type!r} records.")


def visible_activities(viewer: Any) -> QuerySet[Activity]:
    """The activities the viewer may read, with what their lines show loaded up front."""
    queryset = Activity.objects.select_related("owner", "call_outcome")
    return permissions.scope_queryset(viewer, "activity", queryset)


def _start_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def activity_entry(
    activity: Activity, *, notes_visible: bool, today: datetime.date, can_complete: bool = False
) -> TimelineEntry:
    """How an activity reads on a timeline."""
    parts = [str(activity.get_kind_display())]
    owner = activity.owner
    parts.append(f"by {owner.get_full_name() or owner}")
    if activity.duration_minutes:
        parts.append(f"{activity.duration_minutes} min")
    if notes_visible and activity.notes:
        parts.append(Truncator(activity.notes).chars(NOTES_EXCERPT_CHARS))
    badge, tone = "", "gray"
    if activity.kind == Activity.Kind.TASK:
        if activity.completed_at is not None:
            badge, tone = "Done", "green"
        elif activity.due_date is not None and activity.due_date < today:
            badge, tone = "Overdue", "red"
        elif activity.due_date == today:
            badge, tone = "Due today", "amber"
        elif activity.due_date is not None:
            badge, tone = f"Due {activity.due_date:%-d %b}", "blue"
    elif activity.call_outcome is not None:
        badge, tone = activity.call_outcome.label, activity.call_outcome.color
    pinned = activity.is_open_task
    at = (
        _start_of_day(activity.due_date)
        if pinned and activity.due_date is not None
        else activity.occurred_at
    )
    return TimelineEntry(
        at=at,
        kind=activity.kind,
        icon=KIND_ICONS.get(activity.kind, "bolt"),
        title=activity.subject,
        subtitle=" · ".join(parts),
        url=reverse("activities:activity-detail", kwargs={"pk": activity.pk}),
        badge=badge,
        badge_tone=tone,
        pinned=pinned,
        activity_id=activity.pk,
        can_complete=pinned and can_complete,
    )


def activities_provider(
    *, viewer: Any, subject_type: str, subject: Model, limit: int
) -> list[TimelineEntry]:
    """The record's activities the viewer may read: open tasks, and the latest `limit` others.

    Two queries (plus the viewer's rules, read once per request).
    """
    if subject_type not in SUBJECT_TYPES:
        return []
    about = visible_activities(viewer).filter(activities_about(subject_type, subject))
    open_tasks = about.filter(kind=Activity.Kind.TASK, completed_at__isnull=True).order_by(
        "due_date", "id"
    )[:NEXT_UP_LIMIT]
    others = about.exclude(kind=Activity.Kind.TASK, completed_at__isnull=True).order_by(
        "-occurred_at", "-id"
    )[:limit]
    policy = permissions.policy_for(viewer, "activity")
    notes_visible = "notes" not in policy.hidden_fields
    can_complete = policy.can("edit") and "completed_at" not in policy.protected_fields
    today = timezone.localdate()
    return [
        activity_entry(
            activity, notes_visible=notes_visible, today=today, can_complete=can_complete
        )
        for activity in [*open_tasks, *others]
    ]
