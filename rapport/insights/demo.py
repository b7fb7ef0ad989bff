"""`rapport demo`: twelve months of usage history, so adoption insights have something to show.

Deterministic for a seed (its own seeded random, so it does not shift what later steps build),
and anchored on today: the history always ends yesterday. Each person gets a habit:

- diligent: signs in nearly every workday, often twice, and works in Rapport a good while;
- steady: most workdays, less time;
- drifting: starts like the diligent, then comes less often and stays shorter, month after month;
- stopped: a couple of people who used Rapport for a while and then not at all.

Sessions are what the heartbeat script would have sent: a sign-in, page views in the areas the
person's role uses, a heartbeat for each busy minute, now and then an idle break (no beats), and
a sign-out or a session timeout. A few people also run a nightly integration over the API.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import connection, models
from django.utils import timezone

from rapport.access.models import Role, User
from rapport.demo.builder import DEMO_DOMAIN, DemoContext, demo_step
from rapport.insights.models import UsageEvent
from rapport.insights.services import session_hash

HISTORY_DAYS = 365
BATCH_SIZE = 5000
# Hundreds of thousands of steps: index a table instead of calling randint and timedelta each.
_SECONDS = tuple(timedelta(seconds=n) for n in range(66))

# Where each kind of person spends their time: (area, URL pattern, weight).
_PAGES: dict[str, tuple[tuple[str, str, int], ...]] = {
    "default": (
        ("home", "", 5),
        ("people", "people/", 3),
        ("people", "people/<int:pk>/", 4),
        ("search", "search/", 2),
        ("profile", "profile/", 1),
    ),
    Role.Key.ADMINISTRATOR: (
        ("home", "", 3),
        ("admin", "admin/users/", 4),
        ("admin", "admin/users/<int:pk>/", 3),
        ("admin", "admin/roles/", 2),
        ("admin", "admin/teams/", 2),
        ("admin", "admin/offices/", 1),
        ("people", "people/", 2),
        ("search", "search/", 1),
        ("profile", "profile/", 1),
    ),
}
_API_ENDPOINTS = (
    ("api:users", "api/v1/users/"),
    ("api:users", "api/v1/users/<pk>/"),
    ("api:teams", "api/v1/teams/"),
    ("api:offices", "api/v1/offices/"),
    ("api:roles", "api/v1/roles/"),
    ("api:search", "api/v1/search/"),
)


@dataclass(frozen=True)
class Habit:
    """How a person uses Rapport over the year."""

    kind: str  # diligent, steady, drifting, stopped
    minutes: float  # active minutes on a day they come in, at full engagement
    drift_from: int = HISTORY_DAYS  # day (0 = a year ago) their engagement starts to fall
    stop_at: int = HISTORY_DAYS  # day they stop coming in altogether

    def engagement(self, day: int) -> float:
        """The chance of coming in on a workday, from 0 to 1."""
        if day >= self.stop_at:
            return 0.0
        if self.kind == "diligent":
            return 0.95
        if self.kind == "steady":
            return 0.75
        if self.kind == "drifting" and day > self.drift_from:
            progress = (day - self.drift_from) / (HISTORY_DAYS - self.drift_from)
            return max(0.12, 0.9 - 0.8 * progress)
        return 0.9


def _habits(people: list[User], rng: random.Random) -> dict[int, Habit]:
    fixed = {
        f"admin@{DEMO_DOMAIN}": "diligent",
        f"manager@{DEMO_DOMAIN}": "diligent",
        f"rep@{DEMO_DOMAIN}": "drifting",
    }
    front_line = [
        person
        for person in people
        if person.email not in fixed
        and person.role is not None
        and person.role.key in {Role.Key.SALES_REP, Role.Key.SERVICE_AGENT}
    ]
    stopped = {person.pk for person in rng.sample(front_line, 2)} if len(front_line) >= 2 else set()
    habits: dict[int, Habit] = {}
    for person in people:
        if person.pk in stopped:
            kind = "stopped"
        else:
            kind = (
                fixed.get(person.email)
                or rng.choices(("diligent", "steady", "drifting"), weights=(35, 40, 25))[0]
            )
        minutes = {
            "diligent": rng.uniform(25, 40),
            "steady": rng.uniform(12, 25),
            "drifting": rng.uniform(20, 35),
            "stopped": rng.uniform(12, 30),
        }[kind]
        habits[person.pk] = Habit(
            kind=kind,
            minutes=minutes,
            drift_from=rng.randint(60, 180) if kind == "drifting" else HISTORY_DAYS,
            stop_at=rng.randint(120, 270) if kind == "stopped" else HISTORY_DAYS,
        )
    return habits


# The fields the demo fills, in the order of the rows it builds.
_FIELDS = (
    "kind",
    "user",
    "attempted_email",
    "at",
    "area",
    "path",
    "method",
    "status_code",
    "duration_ms",
    "session_hash",
)
_Row = tuple[str, int, str, datetime, str, str, str, int | None, int | None, str]


class _Writer:
    """Collects event rows and inserts them in batches (executemany; COPY on PostgreSQL).

    Not bulk_create: on SQLite it spent about 40 µs a row (100-row statements, RETURNING ids
    nobody needs), four times the cost of building the history; executemany of one prepared
    INSERT writes the same rows in a fraction of that. The rows are plain tuples, so no model
    instance is built either. Only the demo does this; the application writes through services.
    """

    def __init__(self) -> None:
        meta = UsageEvent._meta
        fields = [meta.get_field(name) for name in _FIELDS]
        columns = ", ".join(
            connection.ops.quote_name(field.column)
            for field in fields
            if isinstance(field, models.Field) and field.column
        )
        placeholders = ", ".join(["%s"] * len(_FIELDS))
        # Identifiers come from the model's own metadata, quoted; values go as parameters.
        self.sql = (
            f"INSERT INTO {connection.ops.quote_name(meta.db_table)} ({columns}) "  # noqa: S608
            f"VALUES ({placeholders})"
        )
        self.copy_sql = f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN"
        self.pending: list[_Row] = []
        self.written = 0

    def add(self, row: _Row) -> None:
        self.pending.append(row)
        if len(self.pending) >= BATCH_SIZE:
            self.flush()

    def flush(self) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # COPY: executemany still sends a statement per row there (3x slower).
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for row in self.pending:
                        copy.write_row(row)
            else:
                # What Django's SQLite adapter stores for an aware datetime: naive UTC text.
                # Every demo time is already in UTC, so the (slow, per-value) adapter is skipped.
                cursor.executemany(
                    self.sql,
                    [
                        (*row[:3], str(row[3].replace(tzinfo=None)), *row[4:])
                        for row in self.pending
                    ],
                )
        self.written += len(self.pending)
        self.pending = []


def _session(
    writer: _Writer,
    rng: random.Random,
    *,
    person: User,
    pages: tuple[tuple[str, str, int], ...],
    start: datetime,
    minutes: float,
    key: str,
) -> None:
    hashed = session_hash(key)
    weights = [weight for _, _, weight in pages]

    def event(
        kind: str,
        at: datetime,
        area: str = "",
        path: str = "",
        *,
        method: str = "",
        status_code: int | None = None,
        duration_ms: int | None = None,
        in_session: bool = True,
    ) -> None:
        writer.add(
            (
                kind,
                person.pk,
                "" if in_session else person.email,
                at,
                area,
                path,
                method,
                status_code,
                duration_ms,
                hashed if in_session else "",
            )
        )

    if rng.random() < 0.04:  # a mistyped password first, now and then
        event(
            UsageEvent.Kind.LOGIN_FAILED,
            start - timedelta(seconds=rng.randint(10, 40)),
            "login",
            "login/",
            method="POST",
            status_code=200,
            in_session=False,
        )
    event(UsageEvent.Kind.LOGIN, start, "login", "login/", method="POST", status_code=302)
    at, busy = start, 0
    while busy < minutes:
        area, path, _ = rng.choices(pages, weights=weights)[0]
        at += _SECONDS[2 + int(19 * rng.random())]
        event(
            UsageEvent.Kind.PAGE_VIEW,
            at,
            area,
            path,
            method="GET",
            status_code=200,
            duration_ms=18 + int(143 * rng.random()),
        )
        for _ in range(1 + int(5 * rng.random())):
            at += _SECONDS[55 + int(11 * rng.random())]
            event(UsageEvent.Kind.HEARTBEAT, at, area, path)
            busy += 1
        if rng.random() < 0.12:  # a call, a meeting, lunch: no beats, so idle
            at += timedelta(minutes=rng.randint(4, 40))
    if rng.random() < 0.6:
        event(UsageEvent.Kind.LOGOUT, at + timedelta(seconds=rng.randint(5, 90)))
    else:
        event(UsageEvent.Kind.SESSION_TIMEOUT, at + timedelta(minutes=61))


def _api_night(writer: _Writer, rng: random.Random, *, person: User, start: datetime) -> None:
    at = start
    for _ in range(rng.randint(8, 30)):
        area, path = rng.choice(_API_ENDPOINTS)
        at += timedelta(seconds=rng.randint(1, 30))
        writer.add(
            (
                UsageEvent.Kind.API_CALL,
                person.pk,
                "",
                at,
                area,
                path,
                "GET",
                200,
                rng.randint(15, 120),
                "",
            )
        )


@demo_step("usage", order=900)
def build_usage(ctx: DemoContext) -> None:
    """Twelve months of sign-ins, page views, heartbeats and API calls for the demo people."""
    rng = random.Random(f"{ctx.seed}:usage")
    people = sorted(ctx.people, key=lambda person: person.pk)
    habits = _habits(people, rng)
    integrations = {
        person.pk
        for person in people
        if person.title in {"Sales Operations Analyst", "Marketing Operations Specialist"}
        or person.email == f"manager@{DEMO_DOMAIN}"
    }
    today = timezone.localdate(timezone.now(), UTC)
    writer = _Writer()
    for person in people:
        habit = habits[person.pk]
        zone = ZoneInfo(person.office.timezone if person.office else "UTC")
        role_key = person.role.key if person.role else ""
        pages = _PAGES.get(role_key, _PAGES["default"])
        for day in range(HISTORY_DAYS):
            on = today - timedelta(days=HISTORY_DAYS - day)
            engagement = habit.engagement(day)
            if on.weekday() >= 5:
                engagement *= 0.05 if habit.kind == "diligent" else 0.0
            if person.pk in integrations and habit.engagement(day) > 0:
                _api_night(writer, rng, person=person, start=_at(on, time(2, 0), zone))
            if rng.random() >= engagement:
                continue
            # Drifting people also stay shorter as they drift.
            minutes = habit.minutes * (0.5 + 0.5 * engagement) * rng.uniform(0.6, 1.4)
            sessions = 2 if rng.random() < 0.3 else 1
            for n in range(sessions):
                opens = time(8 + 5 * n + rng.randint(0, 1), rng.randint(0, 59))
                _session(
                    writer,
                    rng,
                    person=person,
                    pages=pages,
                    start=_at(on, opens, zone),
                    minutes=minutes / sessions,
                    key=f"demo:{ctx.seed}:{person.email}:{on.isoformat()}:{n}",
                )
    writer.flush()
    ctx.log(f"{writer.written} usage events over {HISTORY_DAYS} days.")


def _at(day: date, clock: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, clock, tzinfo=zone).astimezone(UTC)
