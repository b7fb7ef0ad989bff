"""My day: what a rep should do today, and a manager's view of the same for their team.

Four blocks per person: tasks due today or overdue, new leads nobody touched for a day, methodology
steps due on their open deals, and deals forecast to close this month. Each block is one query for
all the people shown (grouped by owner afterwards), so the page costs the same for one rep or a
team of fifty; each applies the viewer's permissions, and a block of a type the viewer may not
read is left out.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from rapport.access import permissions
from rapport.access.models import User, subordinate_ids
from rapport.activities.models import Activity

# At most this many rows per block and person: My day is a to-do list, not a report.
PER_PERSON = 15
LEAD_UNTOUCHED_FOR = datetime.timedelta(days=1)
NEW_LEAD_STATUS = "new"


@dataclass
class PersonDay:
    """The four blocks of one person."""

    person: User
    tasks: list[Activity] = field(default_factory=list)
    leads: list[Any] = field(default_factory=list)
    steps: list[Any] = field(default_factory=list)
    deals: list[Any] = field(default_factory=list)

    @property
    def is_clear(self) -> bool:
        return not (self.tasks or self.leads or self.steps or self.deals)


@dataclass(frozen=True)
class Blocks:
    """Which blocks the viewer may see at all (types their role may read)."""

    tasks: bool
    leads: bool
    steps: bool
    deals: bool


def month_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the month `day` is in."""
    first = day.replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    return first, following - datetime.timedelta(days=1)


def team_of(manager: User) -> list[User]:
    """The active people below a manager in the hierarchy, by name."""
    ids = subordinate_ids([manager.pk])
    return list(User.objects.active().filter(pk__in=ids).order_by("first_name", "last_name", "id"))


def visible_blocks(viewer: Any) -> Blocks:
    def can(key: str) -> bool:
        return permissions.policy_for(viewer, key).can("read")

    return Blocks(
        tasks=can("activity"),
        leads=can("lead"),
        steps=can("opportunity"),
        deals=can("opportunity"),
    )


def _capped[T](rows: Sequence[T], owner_of: Any, days: dict[int, PersonDay], name: str) -> None:
    per_owner: dict[int, list[T]] = defaultdict(list)
    for row in rows:
        per_owner[owner_of(row)].append(row)
    for owner_id, owned in per_owner.items():
        if owner_id in days:
            setattr(days[owner_id], name, owned[:PER_PERSON])


def open_tasks_due(
    *, viewer: Any, people_ids: list[int], today: datetime.date
) -> QuerySet[Activity]:
    """Open tasks of the people due today or earlier, oldest due first."""
    tasks = Activity.objects.filter(
        kind=Activity.Kind.TASK,
        completed_at__isnull=True,
        due_date__lte=today,
        owner_id__in=people_ids,
    ).select_related("account", "contact", "lead", "opportunity")
    return permissions.scope_queryset(viewer, "activity", tasks).order_by("due_date", "id")


def leads_to_touch(*, viewer: Any, people_ids: list[int], now: datetime.datetime) -> QuerySet[Any]:
    """New leads of the people not touched for a day (never touched: since they came in)."""
    from rapport.leads.models import Lead

    cutoff = now - LEAD_UNTOUCHED_FOR
    leads = Lead.objects.filter(
        owner_id__in=people_ids,
        status__key=NEW_LEAD_STATUS,
        converted_at__isnull=True,
    ).filter(Q(last_touched_at__lt=cutoff) | Q(last_touched_at__isnull=True, created_at__lt=cutoff))
    return permissions.scope_queryset(viewer, "lead", leads).order_by("created_at", "id")


def steps_due(*, viewer: Any, people_ids: list[int], today: datetime.date) -> QuerySet[Any]:
    """Methodology steps due today or earlier, not done, on the people's open deals."""
    from rapport.pipeline.models import Opportunity, OpportunityStep, Stage

    deals = permissions.scope_queryset(
        viewer,
        "opportunity",
        Opportunity.objects.filter(owner_id__in=people_ids, stage__kind=Stage.Kind.OPEN),
    )
    return (
        OpportunityStep.objects.filter(
            completed_at__isnull=True, due_date__lte=today, opportunity__in=deals.values("pk")
        )
        .select_related("step", "opportunity", "opportunity__account")
        .order_by("due_date", "id")
    )


def deals_closing(*, viewer: Any, people_ids: list[int], today: datetime.date) -> QuerySet[Any]:
    """Open deals of the people forecast to close this month, soonest first."""
    from rapport.pipeline.models import Opportunity, Stage

    first, last = month_bounds(today)
    deals = Opportunity.objects.filter(
        owner_id__in=people_ids,
        stage__kind=Stage.Kind.OPEN,
        forecast_close_date__range=(first, last),
    ).select_related("stage", "account", "currency")
    return permissions.scope_queryset(viewer, "opportunity", deals).order_by(
        "forecast_close_date", "id"
    )


def my_day(
    *,
    viewer: Any,
    people: Sequence[User],
    today: datetime.date,
    now: datetime.datetime | None = None,
) -> tuple[Blocks, list[PersonDay]]:
    """The blocks the viewer may see and, per person (in the given order), what is on today.

    One query per block whatever the number of people.
    """
    now = now or timezone.now()
    blocks = visible_blocks(viewer)
    days = {person.pk: PersonDay(person=person) for person in people}
    ids = list(days)
    cap = PER_PERSON * max(1, len(ids)) * 4  # enough for every person's share, bounded
    if ids and blocks.tasks:
        tasks = list(open_tasks_due(viewer=viewer, people_ids=ids, today=today)[:cap])
        _capped(tasks, lambda row: row.owner_id, days, "tasks")
    if ids and blocks.leads:
        leads = list(leads_to_touch(viewer=viewer, people_ids=ids, now=now)[:cap])
        _capped(leads, lambda row: row.owner_id, days, "leads")
    if ids and blocks.steps:
        steps = list(steps_due(viewer=viewer, people_ids=ids, today=today)[:cap])
        _capped(steps, lambda row: row.opportunity.owner_id, days, "steps")
    if ids and blocks.deals:
        # Amounts hidden from the viewer stay hidden here too.
        deals = permissions.mask_hidden(
            viewer, "opportunity", deals_closing(viewer=viewer, people_ids=ids, today=today)[:cap]
        )
        _capped(deals, lambda row: row.owner_id, days, "deals")
    return blocks, [days[person.pk] for person in people]
