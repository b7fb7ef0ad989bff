"""`rapport demo`: a year of leads in every status, with their calls, answers and history.

Leads arrive through the sales teams' web forms (answers pre-filled, no creator), events, cold
calls and the rest. The owner's first call touches the lead and moves it to Working; more calls
follow until someone answers, and the lead is qualified, disqualified or put to nurturing — or it
waits. Diligent sellers call within hours and answer most qualification questions; lax ones leave
leads untouched for days and answers empty. Part of the demo's opportunities came from a lead:
those leads went new → working → qualified → converted, link to the account, contact and
opportunity they became, and their calls and answers moved over, as `lead_convert` does.

Invariants the services keep, kept here: every status change is in the history (the first from
nothing at creation); `status_changed_at` is the last change; `last_touched_at` is the latest call
on the lead or status change after creation (empty when there is none).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.management.base import CommandError

from rapport.activities.models import Activity
from rapport.core.models import PicklistValue
from rapport.customers.demo import (
    HISTORY_DAYS,
    INDUSTRY_WEIGHTS,
    REGIONS,
    TITLE_LEVELS,
    Market,
    Names,
    Seller,
    Timeline,
    ascii_slug,
    bulk_insert,
    company_name,
    domain_label,
    locale_names,
    new_row,
    phone_number,
    picklist,
    scaled,
    sellers,
    timeline,
    weighted,
)
from rapport.demo.builder import DEMO_DOMAIN, DemoContext, demo_step
from rapport.leads.models import (
    Lead,
    LeadStatusChange,
    QualificationAnswer,
    QualificationQuestion,
    WebForm,
)
from rapport.pipeline.models import Opportunity

LEADS = 5000  # besides the leads that became opportunities
STATUSES = ("new", "working", "nurturing", "qualified", "unqualified", "converted")
# Where leads from elsewhere than a web form came from (web-form leads are "website").
_SOURCES = (
    ("referral", 10),
    ("event", 16),
    ("webinar", 12),
    ("cold_call", 18),
    ("email_campaign", 14),
    ("partner", 8),
    ("social_media", 10),
    ("advertising", 8),
    ("other", 4),
)
# What came of an unanswered call, and of the one that got through.
_MISSED = (
    ("voicemail", 45),
    ("no_answer", 35),
    ("busy", 6),
    ("gatekeeper", 12),
    ("wrong_number", 2),
)
_REACHED = (("connected", 80), ("meeting_booked", 20))
_FORMS = {
    "sales-emea": "Pricing page — contact us (UK & Nordics)",
    "sales-dach": "Demo anfragen (DACH)",
    "sales-na": "Request a demo (North America)",
    "sales-apac": "Talk to sales (APAC)",
}
_CALL_NOTES = {
    "voicemail": "Left a voicemail with my direct number.",
    "no_answer": "No answer; will try again.",
    "busy": "Line busy.",
    "gatekeeper": "Reception took a message; asked for a better time.",
    "wrong_number": "Number belongs to someone else; looking for the right one.",
    "connected": "Spoke about their current process and where it hurts.",
    "meeting_booked": "Good conversation; booked a meeting with their team.",
}


@dataclass
class _LeadPlan:
    lead: Lead
    changes: list[LeadStatusChange] = field(default_factory=list)
    calls: list[Activity] = field(default_factory=list)
    answers: list[QualificationAnswer] = field(default_factory=list)


class _Plans:
    """What the leads step knows: statuses, questions and their answers, and who sells."""

    def __init__(self, ctx: DemoContext, when: Timeline) -> None:
        self.rng = random.Random(f"{ctx.seed}:leads")
        self.when = when
        self.fake: dict[str, Names] = locale_names(ctx, "leads", self.rng)
        self.statuses = picklist("lead_status")
        missing = [key for key in STATUSES if key not in self.statuses]
        if missing:
            raise CommandError(
                f"The sales demo needs the lead statuses {', '.join(missing)} "
                "(seeded with the lead status picklist): run `rapport migrate` first."
            )
        self.questions = list(
            QualificationQuestion.objects.filter(is_active=True).order_by("sort_order", "id")
        )
        if not self.questions:
            raise CommandError(
                "The sales demo needs the qualification questions the leads migration seeds: "
                "run `rapport migrate` first."
            )
        self.answers: dict[int, list[PicklistValue]] = {}
        for value in PicklistValue.objects.filter(
            picklist_id__in=[q.picklist_id for q in self.questions], is_active=True
        ).order_by("sort_order", "id"):
            self.answers.setdefault(value.picklist_id, []).append(value)
        self.outcomes = picklist("call_outcome")
        self.sources = picklist("lead_source")
        self.industries = picklist("industry")
        self.levels = picklist("title_level")
        self.plans: list[_LeadPlan] = []

    # -- the pieces of a lead's story --

    def status(self, plan: _LeadPlan, key: str, at: datetime, by: Seller | None) -> None:
        at = min(at, self.when.now)  # a change minutes after a call just made: not in the future
        previous = plan.changes[-1].to_status if plan.changes else None
        plan.changes.append(
            new_row(
                LeadStatusChange,
                lead=plan.lead,
                from_status=previous,
                to_status=self.statuses[key],
                changed_at=at,
                changed_by=by.user if by else None,
            )
        )
        plan.lead.status = self.statuses[key]
        plan.lead.status_changed_at = at

    def call(self, plan: _LeadPlan, seller: Seller, at: datetime, outcome: str) -> None:
        lax = seller.habit.laxness(self.when.day_of(at))
        reached = outcome in {"connected", "meeting_booked"}
        plan.calls.append(
            new_row(
                Activity,
                kind=Activity.Kind.CALL,
                subject=("Call with " if reached else "Call attempt: ") + plan.lead.full_name,
                notes=_CALL_NOTES[outcome] if self.rng.random() > 0.1 + 0.8 * lax else "",
                owner=seller.user,
                occurred_at=at,
                direction=Activity.Direction.OUTBOUND,
                call_outcome=self.outcomes.get(outcome),
                duration_minutes=(
                    self.rng.randint(4, 35) if reached else 1 if outcome == "voicemail" else None
                )
                if self.rng.random() > 0.6 * lax
                else None,
                lead=plan.lead,
                created_at=at,
                updated_at=at,
            )
        )

    def answer(
        self, plan: _LeadPlan, share: float, at: datetime, by: Seller | None, *, bad: bool = False
    ) -> None:
        """Answer `share` of the questions not answered yet, in the order a rep asks them."""
        done = {answer.question_id for answer in plan.answers}
        todo = [q for q in self.questions if q.pk not in done]
        for question in todo[: round(len(self.questions) * share)]:
            values = self.answers.get(question.picklist_id)
            if not values:
                continue
            # A lead that goes nowhere shows it in the answers: the last values of the lists
            # are the weak ones (no need, no budget yet, 12 months, …).
            value = values[-1] if bad and self.rng.random() < 0.5 else self.rng.choice(values)
            plan.answers.append(
                new_row(
                    QualificationAnswer,
                    lead=plan.lead,
                    question=question,
                    value=value,
                    answered_at=at,
                    answered_by=by.user if by else None,
                )
            )


@demo_step("leads", order=400)
def build_leads(ctx: DemoContext) -> None:
    """Web forms, thousands of leads in every status, and the leads deals were converted from."""
    when = timeline()
    plans = _Plans(ctx, when)
    rng = plans.rng
    people = sellers(ctx)
    by_team: dict[str, list[Seller]] = {}
    for seller in people:
        by_team.setdefault(seller.team_key, []).append(seller)
    forms = _web_forms(ctx, plans, by_team)
    by_user = {seller.user.pk: seller for seller in people}

    _converted_leads(plans, by_user, forms)
    weights = [0.2 if seller.is_manager else 1.0 for seller in people]
    for _ in range(scaled(LEADS)):
        seller = rng.choices(people, weights=weights)[0]
        form = forms[seller.team_key] if rng.random() < 0.25 else None
        if form is not None:
            seller = by_user[form.owner_id]
        day = when.working_day(int((HISTORY_DAYS + 1) * rng.random() ** 0.8))
        created = when.at(day, rng.uniform(7, 22) if form else rng.uniform(8.5, 17.5), seller.zone)
        if created >= when.now:
            continue
        _open_lead(plans, seller, created, form)

    _guarantee_leads_to_touch(plans, by_team, forms)
    leads = sorted(plans.plans, key=lambda plan: plan.lead.created_at)
    for number, plan in enumerate(leads, start=1):
        lead = plan.lead
        lead.external_id = f"demo-lead-{number:05d}"
        touches = [call.occurred_at for call in plan.calls] + [
            change.changed_at for change in plan.changes if change.from_status is not None
        ]
        lead.last_touched_at = max(touches) if touches else None
        lead.updated_at = max([lead.created_at, lead.status_changed_at, *touches])
    bulk_insert(Lead, [plan.lead for plan in leads])
    bulk_insert(LeadStatusChange, [change for plan in leads for change in plan.changes])
    bulk_insert(QualificationAnswer, [answer for plan in leads for answer in plan.answers])
    bulk_insert(Activity, [call for plan in leads for call in plan.calls])
    by_status: dict[str, int] = {}
    for plan in leads:
        by_status[plan.lead.status.key] = by_status.get(plan.lead.status.key, 0) + 1
    ctx.log(
        f"{len(leads)} leads ("
        + ", ".join(f"{count} {key}" for key, count in sorted(by_status.items()))
        + f"), {sum(len(plan.calls) for plan in leads)} calls on leads."
    )


def _web_forms(
    ctx: DemoContext, plans: _Plans, by_team: dict[str, list[Seller]]
) -> dict[str, WebForm]:
    """One web form per sales team, assigned to one of its reps (rep@ for the first team)."""
    rng = plans.rng
    website = plans.sources["website"]
    keys = {q.key: q for q in plans.questions}
    forms: dict[str, WebForm] = {}
    for team_key in sorted(by_team):
        reps = [seller for seller in by_team[team_key] if not seller.is_manager] or by_team[
            team_key
        ]
        owner = next(
            (seller for seller in reps if seller.user.email == f"rep@{DEMO_DOMAIN}"),
            rng.choice(reps),
        )
        created = plans.when.start - timedelta(days=30)
        forms[team_key] = WebForm(
            name=_FORMS.get(team_key, f"Contact us ({team_key})"),
            key=f"demo-{team_key}-{ctx.seed}"[:32],
            fields=["first_name", "last_name", "email", "company", "job_title", "phone"],
            required_fields=["last_name", "email", "company"],
            owner=owner.user,
            source=website,
            created_at=created,
            updated_at=created,
            external_id=f"demo-web-form-{team_key}",
        )
    bulk_insert(WebForm, list(forms.values()))
    asked = [
        keys[key] for key in ("decision_timeline", "budget_range", "company_size") if key in keys
    ]
    for form in forms.values():
        form.questions.set(asked or plans.questions[:3])
    return forms


def _person(plans: _Plans, market: Market, lax: float) -> dict[str, object]:
    rng = plans.rng
    fake = plans.fake[market.locale]
    first, last = fake.first_name(), fake.last_name()
    industry = weighted(rng, list(INDUSTRY_WEIGHTS.items()))
    company = company_name(rng, fake, market, industry)
    domain = f"{domain_label(company)}.{market.tld}"
    level, _, titles = weighted(rng, [((k, s, t), s) for k, s, t in TITLE_LEVELS])
    return {
        "first_name": first,
        "last_name": last,
        "company": company,
        "job_title": rng.choice(titles),
        "title_level": None if rng.random() < 0.15 + 0.5 * lax else plans.levels.get(level),
        "email": f"{ascii_slug(first)}.{ascii_slug(last)}@{domain}",
        "phone": "" if rng.random() < 0.1 + 0.3 * lax else phone_number(rng, market),
        "website": f"https://www.{domain}" if rng.random() < 0.5 else "",
        "industry": None if rng.random() < 0.2 + 0.5 * lax else plans.industries.get(industry),
        "city": rng.choice(market.cities),
        "country": market.country,
    }


def _open_lead(plans: _Plans, seller: Seller, created: datetime, form: WebForm | None) -> None:
    """A lead that was not converted: touched or not, and where its calls took it."""
    rng, when = plans.rng, plans.when
    habit = seller.habit
    lax = habit.laxness(when.day_of(created))
    market = weighted(rng, [(market, market.weight) for market in REGIONS[seller.team_key]])
    person = _person(plans, market, lax)
    lead = new_row(
        Lead,
        **person,
        source=plans.sources["website"] if form else plans.sources.get(weighted(rng, _SOURCES)),
        owner=seller.user,
        web_form=form,
        description="" if form or rng.random() < 0.3 + 0.6 * lax else "Met us at an event.",
        created_at=created,
    )
    plan = _LeadPlan(lead)
    plans.plans.append(plan)
    plans.status(plan, "new", created, None if form else seller)
    if form is not None:
        form_questions = {"decision_timeline", "budget_range", "company_size"}
        for question in plans.questions:
            values = plans.answers.get(question.picklist_id)
            if question.key in form_questions and values and rng.random() < 0.8:
                plan.answers.append(
                    new_row(
                        QualificationAnswer,
                        lead=lead,
                        question=question,
                        value=rng.choice(values),
                        answered_at=created,
                    )
                )
    # The first touch: within hours for the diligent, days (or never) for the lax.
    if rng.random() < 0.02 + 0.45 * lax:
        return
    at = created + timedelta(hours=rng.expovariate(1 / (2.5 * 50**lax)))
    if at >= when.now or not habit.works_on(when.day_of(at)):
        return
    attempts = rng.randint(2, 6) if lax < 0.3 else rng.randint(1, 3)
    reached_on = rng.randint(1, attempts + 1)  # past the last attempt: never got through
    for attempt in range(1, attempts + 1):
        if at >= when.now or not habit.works_on(when.day_of(at)):
            return
        reached = attempt == reached_on
        outcome = weighted(rng, _REACHED if reached else _MISSED)
        plans.call(plan, seller, at, outcome)
        if attempt == 1:
            plans.status(plan, "working", at + timedelta(minutes=rng.randint(1, 5)), seller)
        if reached:
            fate = weighted(
                rng, (("qualified", 22), ("unqualified", 34), ("nurturing", 26), ("working", 18))
            )
            share = rng.uniform(0.6, 1.0) if lax < 0.3 else rng.uniform(0.0, 0.4)
            plans.answer(plan, share, at, seller, bad=fate != "qualified")
            if fate != "working":
                plans.status(plan, fate, at + timedelta(minutes=rng.randint(6, 30)), seller)
            return
        gap = rng.uniform(1, 4) if lax < 0.3 else rng.uniform(3, 15)
        at = at + timedelta(days=gap, hours=rng.uniform(-2, 2))
    if at < when.now - timedelta(days=30) and rng.random() < 0.6 - 0.5 * lax:
        # Nobody ever answered: a diligent seller closes it out instead of leaving it open.
        plans.status(plan, "unqualified", at, seller)


def _converted_leads(plans: _Plans, by_user: dict[int, Seller], forms: dict[str, WebForm]) -> None:
    """Leads some of the demo's opportunities were converted from, linked both ways."""
    rng, when = plans.rng, plans.when
    converted = plans.statuses["converted"]
    inbound = {"website", "event", "webinar", "email_campaign", "social_media", "advertising"}
    opportunities = (
        Opportunity.all_objects.filter(
            external_id__startswith="demo-opportunity-", contact__isnull=False
        )
        .select_related("account", "contact", "source", "contact__title_level")
        .order_by("pk")
    )
    for opportunity in opportunities:
        seller = by_user.get(opportunity.owner_id)
        source_key = opportunity.source.key if opportunity.source else ""
        if seller is None or rng.random() > (0.8 if source_key in inbound else 0.35):
            continue
        account, contact = opportunity.account, opportunity.contact
        assert contact is not None  # filtered above
        at = opportunity.created_at
        created = at - timedelta(days=rng.uniform(2, 30))
        if created < max(when.start, contact.created_at, account.created_at):
            continue
        form = forms.get(seller.team_key) if source_key == "website" else None
        lead = new_row(
            Lead,
            first_name=contact.first_name,
            last_name=contact.last_name,
            company=account.name,
            job_title=contact.job_title,
            title_level=contact.title_level,
            email=contact.email,
            phone=contact.phone,
            website=account.website,
            industry_id=account.industry_id,
            source=opportunity.source,
            owner=seller.user,
            web_form=form if form is not None and form.owner_id == seller.user.pk else None,
            city=account.city,
            country=account.country,
            created_at=created,
            converted_at=at,
            converted_by=seller.user,
            converted_account=account,
            converted_contact=contact,
            converted_opportunity=opportunity,
        )
        plan = _LeadPlan(lead)
        plans.plans.append(plan)
        plans.status(plan, "new", created, None if lead.web_form else seller)
        lax = seller.habit.laxness(when.day_of(created))
        # Touched, called until reached, qualified; converted when the deal was created.
        touch = created + (at - created) * rng.uniform(0.02, 0.3)
        qualified = touch + (at - touch) * rng.uniform(0.3, 0.9)
        calls = sorted(touch + (qualified - touch) * rng.random() for _ in range(rng.randint(0, 3)))
        for moment in [touch, *calls]:
            plans.call(plan, seller, moment, weighted(rng, _MISSED))
        plans.call(plan, seller, qualified, weighted(rng, _REACHED))
        plans.status(plan, "working", touch + timedelta(minutes=2), seller)
        plans.answer(
            plan, rng.uniform(0.7, 1.0) if lax < 0.3 else rng.uniform(0.3, 0.7), qualified, seller
        )
        plans.status(plan, "qualified", qualified + timedelta(minutes=10), seller)
        plans.status(plan, "converted", at, seller)
        lead.status = converted
        # Conversion carries the calls and answers over to what the lead became.
        for call in plan.calls:
            call.account, call.contact, call.opportunity = account, contact, opportunity
        for answer in plan.answers:
            answer.opportunity = opportunity


def _guarantee_leads_to_touch(
    plans: _Plans, by_team: dict[str, list[Seller]], forms: dict[str, WebForm]
) -> None:
    """The rep demo login has new leads to touch on My day, whatever the seed drew."""
    rng, when = plans.rng, plans.when
    rep = next(
        (s for team in by_team.values() for s in team if s.user.email == f"rep@{DEMO_DOMAIN}"),
        None,
    )
    if rep is None:
        return
    waiting = [
        plan
        for plan in plans.plans
        if plan.lead.owner_id == rep.user.pk
        and plan.lead.status.key == "new"
        and when.now - timedelta(days=7) < plan.lead.created_at < when.now - timedelta(days=1)
    ]
    for _ in range(max(0, 5 - len(waiting))):
        created = when.now - timedelta(hours=rng.uniform(26, 24 * 5))
        form = forms.get(rep.team_key)
        market = REGIONS[rep.team_key][0]
        lead = new_row(
            Lead,
            **_person(plans, market, 0.5),
            source=plans.sources["website"],
            owner=rep.user,
            web_form=form if form is not None and form.owner_id == rep.user.pk else None,
            created_at=created,
        )
        plan = _LeadPlan(lead)
        plans.plans.append(plan)
        plans.status(plan, "new", created, None)
