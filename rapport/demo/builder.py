"""The demo organisation, built deterministically from a seed by a list of registered steps.

Each step receives the shared `DemoContext` (seeded random and Faker, the password hash, what
earlier steps built) and adds its part. Later apps add their records and history by registering
a step in their own `demo.py`:

    @demo_step("accounts", order=200)
    def build_accounts(ctx: DemoContext) -> None: ...

The builder imports `<app>.demo` of every installed app before running, so registration needs
nothing else. Steps run in `order`; the organisation (offices, teams, people) is order 100.
"""

from __future__ import annotations

import importlib
import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.module_loading import module_has_submodule
from faker import Faker

from rapport.access.models import Office, Role, Team, User
from rapport.access.roles import ensure_standard_roles

DEFAULT_SEED = 2024
DEMO_DOMAIN = "demo.rapport.test"


@dataclass(frozen=True)
class DemoLogin:
    """A fixed demo sign-in, printed by `make run` and written in the README."""

    email: str
    role: str  # Role.Key value


DEMO_LOGINS = (
    DemoLogin(email=f"admin@{DEMO_DOMAIN}", role=Role.Key.ADMINISTRATOR),
    DemoLogin(email=f"manager@{DEMO_DOMAIN}", role=Role.Key.SALES_MANAGER),
    DemoLogin(email=f"rep@{DEMO_DOMAIN}", role=Role.Key.SALES_REP),
    DemoLogin(email=f"steward@{DEMO_DOMAIN}", role=Role.Key.DATA_STEWARD),
)


@dataclass
class DemoContext:
    """What the steps share: seeded randomness, the one password hash, and what was built."""

    seed: int
    random: random.Random
    password_hash: str
    log: Callable[[str], None]
    offices: dict[str, Office] = field(default_factory=dict)
    teams: dict[str, Team] = field(default_factory=dict)
    people: list[User] = field(default_factory=list)
    _fakers: dict[str, Faker] = field(default_factory=dict)
    _emails: set[str] = field(default_factory=set)

    def faker(self, locale: str) -> Faker:
        """A Faker for the locale, seeded from the demo seed (same seed, same names)."""
        if locale not in self._fakers:
            fake = Faker(locale)
            fake.seed_instance(f"{self.seed}:{locale}")
            self._fakers[locale] = fake
        return self._fakers[locale]

    def unique_email(self, first_name: str, last_name: str) -> str:
        """first.last@demo.rapport.test in plain ASCII, numbered when the name repeats."""
        local = ".".join(_ascii_slug(part) for part in (first_name, last_name) if part)
        email, n = f"{local}@{DEMO_DOMAIN}", 2
        while email in self._emails or email in {login.email for login in DEMO_LOGINS}:
            email, n = f"{local}{n}@{DEMO_DOMAIN}", n + 1
        self._emails.add(email)
        return email


def _ascii_slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum() or ch == "-") or "person"


@dataclass(frozen=True)
class DemoSummary:
    """What `rapport demo` built."""

    seed: int
    offices: int
    teams: int
    people: int
    steps: tuple[str, ...]


DemoStep = Callable[[DemoContext], None]
_steps: dict[str, tuple[int, DemoStep]] = {}


def demo_step(name: str, *, order: int) -> Callable[[DemoStep], DemoStep]:
    """Register a step of the demo build; steps run by `order`, then name."""

    def decorator(step: DemoStep) -> DemoStep:
        _steps[name] = (order, step)
        return step

    return decorator


def demo_steps() -> list[tuple[str, DemoStep]]:
    """Every registered step, in the order they run (after importing each app's demo module)."""
    for app in apps.get_app_configs():
        if app.name.startswith("rapport.") and module_has_submodule(app.module, "demo"):
            importlib.import_module(f"{app.name}.demo")
    ordered = sorted(_steps.items(), key=lambda item: (item[1][0], item[0]))
    return [(name, step) for name, (_, step) in ordered]


def demo_exists() -> bool:
    """Whether anyone has signed up yet: the demo only goes into an empty organisation."""
    return User.objects.exists()


@transaction.atomic
def demo_build(
    *, seed: int = DEFAULT_SEED, log: Callable[[str], None] = lambda _: None
) -> DemoSummary:
    """Build the demo organisation in one transaction: all of it or nothing."""
    ctx = DemoContext(
        seed=seed,
        random=random.Random(seed),
        # Argon2 is slow on purpose: hash the shared demo password once for everybody.
        password_hash=make_password(settings.DEMO_PASSWORD),
        log=log,
    )
    names: list[str] = []
    for name, step in demo_steps():
        step(ctx)
        names.append(name)
        log(f"Built {name}.")
    return DemoSummary(
        seed=seed,
        offices=len(ctx.offices),
        teams=len(ctx.teams),
        people=len(ctx.people),
        steps=tuple(names),
    )


# --- The organisation: offices, teams and people with a manager hierarchy. -----------------


@dataclass(frozen=True)
class _OfficePlan:
    key: str
    name: str
    city: str
    country: str
    timezone: str
    locale: str
    dialling: str  # country code and area code for work phones
    nearby: tuple[str, ...]  # where people work from when not at the office


_OFFICES = (
    _OfficePlan(
        "london",
        "London",
        "London",
        "GB",
        "Europe/London",
        "en_GB",
        "+44 20",
        ("Brighton", "Reading", "Cambridge"),
    ),
    _OfficePlan(
        "berlin",
        "Berlin",
        "Berlin",
        "DE",
        "Europe/Berlin",
        "de_DE",
        "+49 30",
        ("Potsdam", "Leipzig", "Hamburg"),
    ),
    _OfficePlan(
        "new-york",
        "New York",
        "New York",
        "US",
        "America/New_York",
        "en_US",
        "+1 212",
        ("Brooklyn", "Jersey City", "Boston"),
    ),
    _OfficePlan(
        "sydney",
        "Sydney",
        "Sydney",
        "AU",
        "Australia/Sydney",
        "en_AU",
        "+61 2",
        ("Parramatta", "Newcastle", "Wollongong"),
    ),
)


@dataclass(frozen=True)
class _TeamPlan:
    key: str
    name: str
    office: str
    description: str
    kind: str  # sales, service or marketing
    size: int  # people below the team's lead


_TEAMS = (
    _TeamPlan(
        "sales-emea",
        "Enterprise Sales EMEA",
        "london",
        "Large accounts across the UK, Ireland and the Nordics.",
        "sales",
        5,
    ),
    _TeamPlan(
        "sales-dach",
        "Mid-Market Sales DACH",
        "berlin",
        "Growing companies in Germany, Austria and Switzerland.",
        "sales",
        5,
    ),
    _TeamPlan(
        "sales-na",
        "North America Sales",
        "new-york",
        "New business and expansion in the US and Canada.",
        "sales",
        5,
    ),
    _TeamPlan(
        "sales-apac",
        "APAC Sales",
        "sydney",
        "Australia, New Zealand and South-East Asia.",
        "sales",
        5,
    ),
    _TeamPlan(
        "service",
        "Customer Service",
        "berlin",
        "Cases, onboarding and renewals support for every region.",
        "service",
        5,
    ),
    _TeamPlan(
        "marketing",
        "Marketing",
        "london",
        "Campaigns, events and the website's lead forms.",
        "marketing",
        2,
    ),
)

_REP_TITLES = {
    User.Grade.ASSOCIATE: "Sales Development Representative",
    User.Grade.PROFESSIONAL: "Account Executive",
    User.Grade.SENIOR: "Senior Account Executive",
}
_AGENT_TITLES = {
    User.Grade.TRAINEE: "Support Trainee",
    User.Grade.ASSOCIATE: "Customer Service Agent",
    User.Grade.PROFESSIONAL: "Senior Customer Service Agent",
}


@demo_step("organisation", order=100)
def build_organisation(ctx: DemoContext) -> None:
    """4 offices, 6 teams and 40 people in every role, with a manager hierarchy."""
    # An administrator may have removed a standard role; the demo needs all of them.
    ensure_standard_roles(Role)
    roles = {role.key: role for role in Role.objects.all()}
    for plan in _OFFICES:
        ctx.offices[plan.key] = Office.objects.create(
            name=plan.name,
            city=plan.city,
            country=plan.country,
            timezone=plan.timezone,
            external_id=f"demo-office-{plan.key}",
        )
    plans = {plan.key: plan for plan in _OFFICES}

    def person(
        role: str,
        office: str,
        title: str,
        grade: int,
        *,
        manager: User | None = None,
        team: Team | None = None,
        email: str | None = None,
    ) -> User:
        plan = plans[office]
        fake = ctx.faker(plan.locale)
        first, last = fake.first_name(), fake.last_name()
        # One in five works away from the office, as real teams do.
        remote = ctx.random.random() < 0.2
        number = f"{ctx.random.randint(1000, 9999)} {ctx.random.randint(1, 9999):04d}"
        user = User(
            email=email or ctx.unique_email(first, last),
            first_name=first,
            last_name=last,
            title=title,
            phone=f"{plan.dialling} {number}",
            role=roles[role],
            team=team,
            office=ctx.offices[office],
            location=ctx.random.choice(plan.nearby) if remote else "",
            grade=grade,
            manager=manager,
            password=ctx.password_hash,
            external_id=f"demo-user-{len(ctx.people) + 1:03d}",
        )
        user.save()
        ctx.people.append(user)
        return user

    grade = User.Grade
    ceo = person(Role.Key.EXECUTIVE, "new-york", "Chief Executive Officer", grade.EXECUTIVE)
    vp_sales = person(Role.Key.EXECUTIVE, "london", "VP Sales", grade.VICE_PRESIDENT, manager=ceo)
    vp_customers = person(
        Role.Key.EXECUTIVE, "berlin", "VP Customer Success", grade.VICE_PRESIDENT, manager=ceo
    )
    person(
        Role.Key.ADMINISTRATOR,
        "london",
        "CRM Administrator",
        grade.SENIOR,
        manager=ceo,
        email=f"admin@{DEMO_DOMAIN}",
    )
    person(
        Role.Key.ADMINISTRATOR,
        "new-york",
        "Sales Operations Analyst",
        grade.PROFESSIONAL,
        manager=ceo,
    )
    person(Role.Key.READ_ONLY, "new-york", "Financial Controller", grade.PRINCIPAL, manager=ceo)
    person(
        Role.Key.DATA_STEWARD,
        "berlin",
        "Data Steward",
        grade.SENIOR,
        manager=ceo,
        email=f"steward@{DEMO_DOMAIN}",
    )

    for team_plan in _TEAMS:
        team = Team.objects.create(
            name=team_plan.name,
            office=ctx.offices[team_plan.office],
            description=team_plan.description,
            external_id=f"demo-team-{team_plan.key}",
        )
        ctx.teams[team_plan.key] = team
        first_sales_team = team_plan.key == "sales-emea"
        if team_plan.kind == "sales":
            lead = person(
                Role.Key.SALES_MANAGER,
                team_plan.office,
                "Sales Manager",
                grade.LEAD,
                manager=vp_sales,
                team=team,
                email=f"manager@{DEMO_DOMAIN}" if first_sales_team else None,
            )
            for n in range(team_plan.size):
                level = ctx.random.choice(list(_REP_TITLES))
                person(
                    Role.Key.SALES_REP,
                    team_plan.office,
                    _REP_TITLES[level],
                    level,
                    manager=lead,
                    team=team,
                    email=f"rep@{DEMO_DOMAIN}" if first_sales_team and n == 0 else None,
                )
        elif team_plan.kind == "service":
            lead = person(
                Role.Key.SERVICE_MANAGER,
                team_plan.office,
                "Head of Customer Service",
                grade.LEAD,
                manager=vp_customers,
                team=team,
            )
            for _ in range(team_plan.size):
                level = ctx.random.choice(list(_AGENT_TITLES))
                person(
                    Role.Key.SERVICE_AGENT,
                    team_plan.office,
                    _AGENT_TITLES[level],
                    level,
                    manager=lead,
                    team=team,
                )
        else:
            lead = person(
                Role.Key.MARKETING,
                team_plan.office,
                "Head of Marketing",
                grade.DIRECTOR,
                manager=ceo,
                team=team,
            )
            for title in ("Campaign Manager", "Marketing Operations Specialist")[: team_plan.size]:
                person(
                    Role.Key.MARKETING,
                    team_plan.office,
                    title,
                    grade.PROFESSIONAL,
                    manager=lead,
                    team=team,
                )
        team.lead = lead
        team.save(update_fields=["lead", "updated_at"])
    ctx.log(f"{len(ctx.offices)} offices, {len(ctx.teams)} teams, {len(ctx.people)} people.")


def demo_login_lines() -> list[str]:
    """The fixed demo logins that exist, as lines for the start-up banner."""
    existing = set(
        User.objects.filter(
            email__in=[login.email for login in DEMO_LOGINS], is_active=True
        ).values_list("email", flat=True)
    )
    labels = dict(Role.Key.choices)
    return [
        f"{login.email:<28} {labels[login.role]}"
        for login in DEMO_LOGINS
        if login.email in existing
    ]
