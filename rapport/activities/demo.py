"""`rapport demo`: a year of calls, meetings, e-mails, tasks and notes by every seller.

Each working day a seller logs activities on the deals they have open that day, the contacts of
their accounts (never one who asked not to be contacted or left the company) and the accounts
themselves. How much they log follows their habit: a diligent rep logs five or six calls a day
with notes and outcomes, books meetings, and completes tasks by their due date; a lax one logs a
call or two without notes and lets tasks go overdue; a seller who stopped using Rapport logs
nothing from then on. The calls on leads and the tasks methodology steps prompted are built with
the leads and the pipeline; this step adds everything else.
"""

from __future__ import annotations

import bisect
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from rapport.activities.models import Activity
from rapport.core.models import PicklistValue
from rapport.customers.demo import (
    HISTORY_DAYS,
    Seller,
    Timeline,
    bulk_insert,
    new_row,
    picklist,
    sellers,
    timeline,
    weighted,
)
from rapport.customers.models import Account, Contact
from rapport.demo.builder import DEMO_DOMAIN, DemoContext, demo_step
from rapport.pipeline.models import Opportunity

_OUTCOMES = (
    ("connected", 50),
    ("voicemail", 22),
    ("no_answer", 14),
    ("busy", 3),
    ("gatekeeper", 7),
    ("wrong_number", 1),
    ("meeting_booked", 3),
)
_CALL_SUBJECTS = ("Check-in call", "Follow-up call", "Call about next steps", "Pricing questions")
_MEETINGS = (
    ("Discovery meeting", 60),
    ("Product demo", 60),
    ("Proposal walkthrough", 45),
    ("Quarterly business review", 90),
    ("Workshop with the project team", 120),
    ("Lunch with the champion", 90),
)
_EMAILS_OUT = (
    "Follow-up on our call",
    "Case studies you asked for",
    "Proposal and next steps",
    "Agenda for our meeting",
    "Pricing overview",
)
_EMAILS_IN = (
    "Re: Proposal and next steps",
    "Question about licences",
    "Re: Agenda",
    "Contract draft",
)
_TASKS = (
    "Send case studies",
    "Prepare quote",
    "Follow up by phone",
    "Book a demo with the team",
    "Update the account plan",
    "Check the contract draft with legal",
)
_NOTES = (
    "Budget approved for next quarter, per the champion.",
    "New IT director starts next month; introduce ourselves.",
    "They compare us with two other vendors.",
    "Renewal comes up in the spring; start early.",
    "Reorganisation under way; the buying committee may change.",
)
_CALL_NOTES = {
    "connected": "Talked through their priorities; agreed to send material.",
    "meeting_booked": "Booked a meeting with their team.",
    "voicemail": "Left a voicemail.",
    "gatekeeper": "Assistant took a message.",
}


@dataclass(frozen=True)
class _Deal:
    opportunity_id: int
    account_id: int
    contact_id: int | None
    created: datetime
    closed: datetime | None


@dataclass(frozen=True)
class _Person:
    contact_id: int
    account_id: int | None
    name: str


class _Book:
    """A seller's deals, contacts and accounts, to pick what an activity is about."""

    def __init__(
        self, deals: list[_Deal], people: list[tuple[datetime, _Person]], accounts: list[int]
    ):
        self.deals = deals
        self.people = sorted(people, key=lambda item: item[0])
        self.people_since = [created for created, _ in self.people]
        self.accounts = accounts

    def open_deals(self, at: datetime) -> list[_Deal]:
        return [
            deal
            for deal in self.deals
            if deal.created <= at and (deal.closed is None or deal.closed > at)
        ]

    def person(self, rng: random.Random, at: datetime) -> _Person | None:
        known = bisect.bisect_right(self.people_since, at)
        return self.people[rng.randrange(known)][1] if known else None


def _books(people: Sequence[Seller]) -> dict[int, _Book]:
    owners = [seller.user.pk for seller in people]
    deals: dict[int, list[_Deal]] = {}
    for row in (
        Opportunity.all_objects.filter(owner_id__in=owners)
        .order_by("pk")
        .values_list("pk", "owner_id", "account_id", "contact_id", "created_at", "closed_at")
    ):
        deals.setdefault(row[1], []).append(_Deal(row[0], row[2], row[3], row[4], row[5]))
    contacts: dict[int, list[tuple[datetime, _Person]]] = {}
    for pk, owner, account, first, last, created in (
        Contact.all_objects.filter(owner_id__in=owners, do_not_contact=False, left_company=False)
        .order_by("pk")
        .values_list("pk", "owner_id", "account_id", "first_name", "last_name", "created_at")
    ):
        contacts.setdefault(owner, []).append(
            (created, _Person(pk, account, f"{first} {last}".strip()))
        )
    accounts: dict[int, list[int]] = {}
    for pk, owner in (
        Account.all_objects.filter(owner_id__in=owners).order_by("pk").values_list("pk", "owner_id")
    ):
        accounts.setdefault(owner, []).append(pk)
    return {
        owner: _Book(deals.get(owner, []), contacts.get(owner, []), accounts.get(owner, []))
        for owner in owners
    }


class _Log:
    """Builds one seller's activities."""

    def __init__(self, rng: random.Random, when: Timeline, outcomes: dict[str, PicklistValue]):
        self.rng = rng
        self.when = when
        self.outcomes = outcomes
        self.rows: list[Activity] = []

    def about(self, book: _Book, at: datetime) -> dict[str, int | None] | None:
        """What an activity at `at` concerns: an open deal, else a contact, else an account."""
        rng = self.rng
        deals = book.open_deals(at) if rng.random() < 0.6 else []
        if deals:
            deal = rng.choice(deals)
            return {
                "opportunity_id": deal.opportunity_id,
                "account_id": deal.account_id,
                "contact_id": deal.contact_id,
            }
        person = book.person(rng, at) if rng.random() < 0.85 else None
        if person is not None:
            return {"contact_id": person.contact_id, "account_id": person.account_id}
        if book.accounts:
            return {"account_id": rng.choice(book.accounts)}
        return None

    def add(
        self, seller: Seller, at: datetime, links: dict[str, int | None], **values: object
    ) -> Activity:
        row = new_row(
            Activity,
            owner=seller.user,
            occurred_at=at,
            created_at=at,
            updated_at=at,
            **links,
            **values,
        )
        self.rows.append(row)
        return row

    def day(self, seller: Seller, book: _Book, day: int) -> None:
        rng, when = self.rng, self.when
        lax = seller.habit.laxness(day)
        diligent = lax < 0.3

        def moment() -> datetime:
            return when.at(day, rng.uniform(8.3, 17.8), seller.zone)

        for _ in range(int(rng.uniform(2, 9) * (1 - 0.8 * lax))):
            at = moment()
            links = self.about(book, at)
            if links is None or at >= when.now:
                continue
            outcome = weighted(rng, _OUTCOMES)
            reached = outcome in {"connected", "meeting_booked"}
            self.add(
                seller,
                at,
                links,
                kind=Activity.Kind.CALL,
                subject=rng.choice(_CALL_SUBJECTS),
                notes=_CALL_NOTES.get(outcome, "") if rng.random() > 0.1 + 0.8 * lax else "",
                direction=Activity.Direction.OUTBOUND
                if rng.random() < 0.85
                else Activity.Direction.INBOUND,
                call_outcome=self.outcomes.get(outcome),
                duration_minutes=(rng.randint(3, 40) if reached else 1)
                if rng.random() > 0.7 * lax
                else None,
            )
        for _ in range(int(rng.uniform(1, 6) * (1 - 0.6 * lax))):
            at = moment()
            links = self.about(book, at)
            if links is None or at >= when.now:
                continue
            inbound = rng.random() < 0.3
            self.add(
                seller,
                at,
                links,
                kind=Activity.Kind.EMAIL,
                subject=rng.choice(_EMAILS_IN if inbound else _EMAILS_OUT),
                direction=Activity.Direction.INBOUND if inbound else Activity.Direction.OUTBOUND,
            )
        if rng.random() < 0.45 * (1 - 0.6 * lax):
            # Meetings are booked ahead: some are still to come this week and next.
            start = when.at(day, rng.choice((9, 10, 11, 13.5, 14, 15, 16)), seller.zone)
            links = self.about(book, min(start, when.now))
            if links is not None:
                subject, minutes = rng.choice(_MEETINGS)
                booked = start - timedelta(days=rng.uniform(1, 10))
                row = self.add(
                    seller,
                    start,
                    links,
                    kind=Activity.Kind.MEETING,
                    subject=subject,
                    notes="Agreed next steps; minutes sent."
                    if start < when.now and rng.random() > 0.2 + 0.7 * lax
                    else "",
                    ends_at=start + timedelta(minutes=minutes),
                    duration_minutes=minutes,
                )
                row.created_at = row.updated_at = min(booked, when.now)
        if rng.random() < 0.55 * (1 - 0.5 * lax):
            at = moment()
            links = self.about(book, at)
            if links is not None and at < when.now:
                due = at.date() + timedelta(days=rng.randint(1, 7))
                on_time = rng.random() < (0.92 if diligent else 0.75 - 0.6 * lax)
                done: datetime | None
                if on_time:
                    done = at + timedelta(hours=rng.uniform(0.5, 24 * (due - at.date()).days))
                elif rng.random() < (0.85 if diligent else 0.45):
                    done = at + timedelta(days=(due - at.date()).days + rng.uniform(2, 20))
                else:
                    done = None  # never done: overdue once the due date passes
                if done is not None and (
                    done >= when.now or not seller.habit.works_on(when.day_of(done))
                ):
                    done = None
                row = self.add(
                    seller,
                    at,
                    links,
                    kind=Activity.Kind.TASK,
                    subject=rng.choice(_TASKS),
                    due_date=due,
                    completed_at=done,
                )
                row.updated_at = done or at
        if rng.random() < 0.3 * (1 - 0.8 * lax):
            at = moment()
            links = self.about(book, at)
            if links is not None and at < when.now:
                self.add(seller, at, links, kind=Activity.Kind.NOTE, subject=rng.choice(_NOTES))


@demo_step("activities", order=500)
def build_activities(ctx: DemoContext) -> None:
    """Calls (with outcomes), meetings, e-mails, tasks and notes for a year, by every seller."""
    rng = random.Random(f"{ctx.seed}:activities")
    when = timeline()
    people = sellers(ctx)
    books = _books(people)
    log = _Log(rng, when, picklist("call_outcome"))
    for seller in people:
        book = books[seller.user.pk]
        # Until today, and two weeks ahead for the meetings already in the calendar.
        for day in range(HISTORY_DAYS + 15):
            if when.date_of(day).weekday() >= 5 or not seller.habit.works_on(day):
                continue
            log.day(seller, book, day)
        if seller.user.email == f"rep@{DEMO_DOMAIN}":
            _guarantee_overdue_tasks(rng, when, seller, book, log)
    rows = sorted(log.rows, key=lambda row: (row.occurred_at, row.owner_id))
    bulk_insert(Activity, rows)
    kinds: dict[str, int] = {}
    for row in rows:
        kinds[row.kind] = kinds.get(row.kind, 0) + 1
    ctx.log(
        f"{len(rows)} activities ("
        + ", ".join(f"{count} {kind}s" for kind, count in sorted(kinds.items()))
        + ")."
    )


def _guarantee_overdue_tasks(
    rng: random.Random, when: Timeline, seller: Seller, book: _Book, log: _Log
) -> None:
    """The rep demo login has overdue tasks on My day, whatever the seed drew."""
    overdue = [
        row
        for row in log.rows
        if row.owner_id == seller.user.pk
        and row.kind == Activity.Kind.TASK
        and row.completed_at is None
        and row.due_date is not None
        and row.due_date < when.today
    ]
    for _ in range(max(0, 3 - len(overdue))):
        at = when.now - timedelta(days=rng.uniform(4, 12))
        links = log.about(book, at)
        if links is None:
            continue
        row = log.add(
            seller,
            at,
            links,
            kind=Activity.Kind.TASK,
            subject=rng.choice(_TASKS),
            due_date=at.date() + timedelta(days=rng.randint(1, 3)),
        )
        row.completed_at = None
