"""`rapport demo`: a year of opportunities across every stage, with their history.

Each deal moves through the stages the pipeline migration seeded, logging a StageChange with the
time spent in the stage it left; each stage prompts its methodology steps one after another (an
OpportunityStep and a task for the owner, as `opportunity_move_stage` and
`opportunity_step_complete` do); won deals become orders whose lines copy the line items.

Diligent sellers complete steps before they are due, keep forecast dates ahead of today, put
products on their deals and close out dead ones; lax sellers leave steps overdue, amounts and
forecast dates empty while the stage allows it, and deals open long after they went quiet.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.management.base import CommandError
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat, LPad

from rapport.activities.models import Activity
from rapport.core.models import PicklistValue
from rapport.customers.demo import (
    HISTORY_DAYS,
    Seller,
    Timeline,
    bulk_insert,
    new_row,
    picklist,
    scaled,
    sellers,
    timeline,
    weighted,
)
from rapport.customers.models import Account, Contact
from rapport.demo.builder import DEMO_DOMAIN, DemoContext, demo_step
from rapport.pipeline.catalog import line_total
from rapport.pipeline.models import (
    LineItem,
    MethodologyStep,
    Opportunity,
    OpportunityStep,
    Order,
    OrderLine,
    PriceList,
    PriceListEntry,
    Product,
    Stage,
    StageChange,
)
from rapport.pipeline.orders import NUMBER_PREFIX

OPPORTUNITIES = 2500

# The catalogue the demo sells when the pipeline has none: (code, name, family, EUR price).
_PRODUCTS = (
    ("RAP-PRO", "Rapport Professional (seat/year)", "software", "540.00"),
    ("RAP-ENT", "Rapport Enterprise (seat/year)", "software", "960.00"),
    ("RAP-ANL", "Analytics add-on (seat/year)", "software", "240.00"),
    ("RAP-SVC", "Service Cloud (seat/year)", "software", "600.00"),
    ("SRV-IMP", "Implementation package", "services", "12000.00"),
    ("SRV-MIG", "Data migration", "services", "4500.00"),
    ("SRV-TRN", "Training day", "services", "1800.00"),
    ("SUP-PRM", "Premium support (year)", "support", "6000.00"),
    ("SUP-STD", "Standard support (year)", "support", "2400.00"),
    ("HW-TAB", "Rugged field tablet", "hardware", "850.00"),
)
_PURPOSES = (
    "CRM rollout",
    "Sales team licences",
    "Expansion",
    "Renewal",
    "Service desk",
    "Analytics pilot",
    "Field sales tablets",
    "Migration from spreadsheets",
    "New business unit",
    "Upgrade to Enterprise",
)
_SOURCES = (
    ("website", 24),
    ("referral", 14),
    ("event", 12),
    ("webinar", 8),
    ("cold_call", 14),
    ("email_campaign", 10),
    ("partner", 9),
    ("social_media", 5),
    ("advertising", 3),
    ("other", 1),
)
_LOSS_REASONS = (
    ("price", 22),
    ("competitor", 26),
    ("no_decision", 20),
    ("no_budget", 10),
    ("product_fit", 8),
    ("timing", 8),
    ("lost_contact", 5),
    ("other", 1),
)
_ZERO = Decimal(0)


@dataclass(frozen=True)
class Pipeline:
    """The stages and steps the demo's deals move through, as the migrations seeded them."""

    open: list[Stage]
    won: Stage
    lost: Stage
    steps: dict[int, list[MethodologyStep]]


def pipeline_stages() -> Pipeline:
    """The active stages (open ones in order, the first won and lost) and their active steps."""
    stages = list(Stage.objects.filter(is_active=True).order_by("sort_order", "id"))
    open_stages = [stage for stage in stages if stage.kind == Stage.Kind.OPEN]
    won = next((stage for stage in stages if stage.kind == Stage.Kind.WON), None)
    lost = next((stage for stage in stages if stage.kind == Stage.Kind.LOST), None)
    if not open_stages or won is None or lost is None:
        raise CommandError(
            "The sales demo needs the pipeline's stages (at least one open, one won and one "
            "lost stage, seeded by the pipeline migrations): run `rapport migrate` first."
        )
    steps: dict[int, list[MethodologyStep]] = {stage.pk: [] for stage in stages}
    for step in MethodologyStep.objects.filter(is_active=True, stage__in=stages).order_by(
        "sort_order", "id"
    ):
        steps[step.stage_id].append(step)
    return Pipeline(open=open_stages, won=won, lost=lost, steps=steps)


def _catalogue(ctx: DemoContext) -> tuple[PriceList, dict[int, Decimal], dict[int, str]]:
    """The default EUR price list with its prices (and product families); made if missing."""
    currency = picklist("currency")["EUR"]
    families = picklist("product_family")
    if not Product.objects.filter(is_active=True).exists():
        bulk_insert(
            Product,
            [
                Product(
                    code=code,
                    name=name,
                    family=families.get(family),
                    description=f"{name}, from the demo catalogue.",
                    external_id=f"demo-product-{code.lower()}",
                )
                for code, name, family, _ in _PRODUCTS
            ],
        )
    price_list = PriceList.objects.filter(
        currency=currency, is_default=True, is_active=True
    ).first()
    if price_list is None:
        price_list = PriceList.objects.create(
            name="Standard EUR",
            currency=currency,
            is_default=True,
            external_id="demo-price-list-eur",
        )
    priced = set(price_list.entries.values_list("product_id", flat=True))
    listed = {code: Decimal(price) for code, _, _, price in _PRODUCTS}
    rng = random.Random(f"{ctx.seed}:catalogue")
    missing = [
        PriceListEntry(
            price_list=price_list,
            product=product,
            unit_price=listed.get(product.code, Decimal(rng.randrange(200, 9000, 50))),
        )
        for product in Product.objects.filter(is_active=True).exclude(pk__in=priced)
    ]
    bulk_insert(PriceListEntry, missing)
    prices = dict(
        price_list.entries.filter(product__is_active=True).values_list("product_id", "unit_price")
    )
    kinds = dict(Product.objects.filter(pk__in=prices).values_list("pk", "family__key"))
    return price_list, prices, {pk: kind or "software" for pk, kind in kinds.items()}


@dataclass
class _Deal:
    """One opportunity being planned, with the rows that go with it."""

    opportunity: Opportunity
    seller: Seller
    moves: list[tuple[Stage, datetime]]  # every stage entered, in order, with when
    lines: list[LineItem] = field(default_factory=list)
    steps: list[OpportunityStep] = field(default_factory=list)


def _contact_for(rng: random.Random, contacts: list[Contact], before: datetime) -> Contact | None:
    reachable = [
        contact
        for contact in contacts
        if contact.created_at <= before and not contact.left_company and not contact.do_not_contact
    ]
    if not reachable:
        return None
    # Deals are run with the senior people where the rep knows them.
    weights = [
        {"c_level": 3, "vp": 3, "director": 3, "manager": 2}.get(
            getattr(contact.title_level, "key", ""), 1
        )
        for contact in reachable
    ]
    return rng.choices(reachable, weights=weights)[0]


def _lines(
    rng: random.Random,
    *,
    prices: dict[int, Decimal],
    families: dict[int, str],
    account: Account,
) -> list[LineItem]:
    seats = max(5, min(400, int((account.employees or 80) * rng.uniform(0.05, 0.4))))
    products = rng.sample(sorted(prices), k=min(len(prices), rng.choice((1, 1, 2, 2, 3, 4))))
    lines = []
    for position, product in enumerate(products, start=1):
        family = families[product]
        quantity = {
            "software": seats,
            "services": rng.randint(1, 6),
            "support": 1,
            "hardware": rng.randint(5, 60),
        }.get(family, rng.randint(1, 10))
        lines.append(
            new_row(
                LineItem,
                product_id=product,
                quantity=Decimal(quantity),
                unit_price=prices[product],
                discount_percent=Decimal(rng.choice((0, 0, 0, 5, 10, 10, 15, 20))),
                sort_order=position * 10,
            )
        )
    return lines


def _stage_times(rng: random.Random, start: datetime, end: datetime, stages: int) -> list[datetime]:
    """When each of `stages` stages is entered, the first at `start`, all before `end`."""
    weights = [rng.uniform(0.5, 1.5) for _ in range(stages)]
    total = sum(weights)
    span = end - start
    times, at = [], start
    for weight in weights:
        times.append(at)
        at = at + span * (weight / total)
    return times


@demo_step("pipeline", order=300)
def build_pipeline(ctx: DemoContext) -> None:
    """Thousands of opportunities in every stage, their history, steps, lines and orders."""
    rng = random.Random(f"{ctx.seed}:pipeline")
    when = timeline()
    pipe = pipeline_stages()
    people = sellers(ctx)
    price_list, prices, families = _catalogue(ctx)
    currency = picklist("currency")["EUR"]
    sources = picklist("lead_source")
    loss_reasons = picklist("loss_reason")
    order_statuses = picklist("order_status")
    accounts_by_owner: dict[int, list[Account]] = {}
    for account in Account.objects.filter(external_id__startswith="demo-account-").order_by("pk"):
        accounts_by_owner.setdefault(account.owner_id, []).append(account)
    contacts_by_account: dict[int, list[Contact]] = {}
    for contact in (
        Contact.objects.filter(external_id__startswith="demo-contact-")
        .select_related("title_level")
        .order_by("pk")
    ):
        if contact.account_id is not None:
            contacts_by_account.setdefault(contact.account_id, []).append(contact)
    team_accounts: dict[str, list[Account]] = {}
    for seller in people:
        team_accounts.setdefault(seller.team_key, []).extend(
            accounts_by_owner.get(seller.user.pk, [])
        )

    deals: list[_Deal] = []
    weights = [0.25 if seller.is_manager else 1.0 for seller in people]
    for _ in range(scaled(OPPORTUNITIES)):
        seller = rng.choices(people, weights=weights)[0]
        day = when.working_day(int(HISTORY_DAYS * rng.random() ** 0.85))
        created = when.at(day, rng.uniform(8.5, 17.5), seller.zone)
        if created >= when.now - timedelta(hours=2):
            continue
        own = accounts_by_owner.get(seller.user.pk, [])
        pool = own if own and rng.random() < 0.85 else team_accounts[seller.team_key]
        candidates = [account for account in pool if account.created_at <= created]
        if not candidates:
            continue
        account = rng.choice(candidates)
        deal = _plan_deal(
            rng,
            when=when,
            pipe=pipe,
            seller=seller,
            account=account,
            contact=_contact_for(rng, contacts_by_account.get(account.pk, []), created),
            created=created,
            currency=currency,
            price_list=price_list,
            prices=prices,
            families=families,
            source=sources.get(weighted(rng, _SOURCES)),
            loss_reason=loss_reasons.get(weighted(rng, _LOSS_REASONS)),
        )
        deals.append(deal)
    _closing_this_month(rng, when, deals)
    deals.sort(key=lambda deal: (deal.opportunity.created_at, deal.seller.user.pk))
    for number, deal in enumerate(deals, start=1):
        deal.opportunity.external_id = f"demo-opportunity-{number:05d}"
    bulk_insert(Opportunity, [deal.opportunity for deal in deals])
    _write_history(rng, when, pipe, deals)
    orders = _write_orders(rng, when, deals, order_statuses)
    ctx.log(
        f"{len(deals)} opportunities, {sum(len(d.lines) for d in deals)} line items, "
        f"{orders} orders."
    )


def _plan_deal(
    rng: random.Random,
    *,
    when: Timeline,
    pipe: Pipeline,
    seller: Seller,
    account: Account,
    contact: Contact | None,
    created: datetime,
    currency: PicklistValue,
    price_list: PriceList,
    prices: dict[int, Decimal],
    families: dict[int, str],
    source: PicklistValue | None,
    loss_reason: PicklistValue | None,
) -> _Deal:
    habit = seller.habit
    lax = habit.laxness(when.day_of(created))
    # A sales cycle of one to five months; diligent sellers move a little faster.
    cycle = timedelta(days=min(200.0, rng.lognormvariate(4.0, 0.45) * (1 + 0.3 * lax)))
    close = created + cycle
    n_open = len(pipe.open)
    moves: list[tuple[Stage, datetime]]
    outcome: Stage | None = None
    if close < when.now and not (rng.random() < 0.45 * lax):
        won = rng.random() < 0.36 - 0.16 * lax
        # A lost deal dies somewhere along the way; a won one went through every stage.
        reached = n_open if won else 1 + min(n_open - 1, int(rng.triangular(0, n_open, 1)))
        times = _stage_times(rng, created, close, reached)
        moves = list(zip(pipe.open[:reached], times, strict=True))
        outcome = pipe.won if won else pipe.lost
        moves.append((outcome, close))
    else:
        # Still open (or, for a lax seller, never closed out): somewhere along the stages.
        elapsed = (when.now - created) / cycle
        reached = 1 + min(n_open - 1, int(min(elapsed, 0.999) * n_open * rng.uniform(0.6, 1.2)))
        end = created + min(cycle, when.now - created) * rng.uniform(0.5, 1.0)
        end = max(end, created + timedelta(hours=1))
        times = _stage_times(rng, created, end, reached)
        moves = list(zip(pipe.open[:reached], times, strict=True))
    stage, entered = moves[-1]
    passed = [stage for stage, _ in moves]
    required = {name for stage in passed for name in (stage.required_fields or [])}
    closed = stage.kind != Stage.Kind.OPEN
    won = stage.kind == Stage.Kind.WON
    has_amount = won or "amount" in required or rng.random() > 0.05 + 0.5 * lax
    lines = (
        _lines(rng, prices=prices, families=families, account=account)
        if has_amount and (won or rng.random() < 0.9 - 0.5 * lax)
        else []
    )
    if lines:
        amount: Decimal | None = sum(
            (
                line_total(
                    quantity=line.quantity,
                    unit_price=line.unit_price,
                    discount_percent=line.discount_percent,
                )
                for line in lines
            ),
            _ZERO,
        )
    elif has_amount:
        amount = Decimal(round(rng.lognormvariate(10.3, 0.9), -3) or 1000)
    else:
        amount = None
    expected = close.date()
    if closed:
        forecast: date | None = entered.date()
    elif "forecast_close_date" in required or rng.random() > 0.05 + 0.45 * lax:
        forecast = expected
        if forecast < when.today and rng.random() > lax:
            # Diligent sellers move a slipping date; lax ones leave it in the past.
            forecast = when.today + timedelta(days=rng.randint(3, 60))
    else:
        forecast = None
    opportunity = new_row(
        Opportunity,
        name=f"{account.name}: {rng.choice(_PURPOSES)}",
        account=account,
        contact=contact if contact is not None and rng.random() > 0.3 * lax else None,
        owner=seller.user,
        stage=stage,
        stage_changed_at=entered,
        amount=amount,
        currency=currency,
        price_list=price_list if lines else None,
        forecast_close_date=forecast,
        probability=stage.probability,
        loss_reason=loss_reason if stage.kind == Stage.Kind.LOST else None,
        source=source,
        closed_at=entered if closed else None,
        description=(
            f"{account.name} wants {rng.choice(_PURPOSES).lower()}; "
            f"first talked on {created:%d %B}."
            if rng.random() > 0.2 + 0.7 * lax
            else ""
        ),
        created_at=created,
        updated_at=entered,
    )
    return _Deal(opportunity=opportunity, seller=seller, moves=moves, lines=lines)


def _closing_this_month(rng: random.Random, when: Timeline, deals: list[_Deal]) -> None:
    """The rep demo login has deals closing this month on My day, whatever the seed drew."""
    month_end = (when.today.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    mine = [
        deal
        for deal in deals
        if deal.seller.user.email == f"rep@{DEMO_DOMAIN}"
        and deal.opportunity.stage.kind == Stage.Kind.OPEN
    ]
    closing = [
        deal
        for deal in mine
        if deal.opportunity.forecast_close_date is not None
        and when.today <= deal.opportunity.forecast_close_date <= month_end
    ]
    for deal in [deal for deal in mine if deal not in closing][: max(0, 3 - len(closing))]:
        deal.opportunity.forecast_close_date = when.today + timedelta(
            days=rng.randint(0, (month_end - when.today).days)
        )


def _write_history(rng: random.Random, when: Timeline, pipe: Pipeline, deals: list[_Deal]) -> None:
    """Stage changes, the methodology steps each stage prompted (with their tasks), line items."""
    changes: list[StageChange] = []
    lines: list[LineItem] = []
    for deal in deals:
        opportunity = deal.opportunity
        previous: tuple[Stage, datetime] | None = None
        for stage, at in deal.moves:
            changes.append(
                new_row(
                    StageChange,
                    opportunity=opportunity,
                    from_stage=previous[0] if previous else None,
                    to_stage=stage,
                    changed_at=at,
                    changed_by=deal.seller.user,
                    time_in_previous=at - previous[1] if previous else None,
                )
            )
            previous = (stage, at)
        for line in deal.lines:
            line.opportunity = opportunity
            lines.append(line)
        deal.steps = _steps_of(rng, when, pipe, deal)
    bulk_insert(StageChange, changes)
    bulk_insert(LineItem, lines)
    steps = bulk_insert(OpportunityStep, [step for deal in deals for step in deal.steps])
    tasks = []
    by_id = {step.pk: step for stage_steps in pipe.steps.values() for step in stage_steps}
    for prompted in steps:
        opportunity = prompted.opportunity
        method = by_id[prompted.step_id]
        tasks.append(
            new_row(
                Activity,
                kind=Activity.Kind.TASK,
                subject=method.name,
                notes=method.description,
                owner=opportunity.owner,
                occurred_at=prompted.prompted_at,
                due_date=prompted.due_date,
                completed_at=prompted.completed_at,
                account=opportunity.account,
                contact=opportunity.contact,
                opportunity=opportunity,
                opportunity_step=prompted,
                created_at=prompted.prompted_at,
                updated_at=prompted.completed_at or prompted.prompted_at,
            )
        )
    bulk_insert(Activity, tasks)


def _steps_of(
    rng: random.Random, when: Timeline, pipe: Pipeline, deal: _Deal
) -> list[OpportunityStep]:
    """The steps each open stage prompted, one after another, done on time or late or not yet.

    A stage the deal left had its required steps done before it moved on (the stage gate); the
    stage it is in has done what the owner got to, and the step after is open — overdue when its
    due date has passed.
    """
    rows: list[OpportunityStep] = []
    habit = deal.seller.habit
    following: list[tuple[Stage, datetime] | None] = [*deal.moves[1:], None]
    for (stage, entered), after in zip(deal.moves, following, strict=True):
        if stage.kind != Stage.Kind.OPEN:
            continue
        left = after[1] if after is not None else None
        # Moving on passed the stage gate; losing the deal needs no step done.
        gate = after is not None and after[0].kind != Stage.Kind.LOST
        prompted = entered
        for method in pipe.steps.get(stage.pk, []):
            lax = habit.laxness(when.day_of(prompted))
            due = prompted.date() + timedelta(days=method.due_in_days)
            late = rng.random() < 0.08 + 0.7 * lax or not habit.works_on(when.day_of(prompted))
            factor = rng.uniform(1.1, 3.0) if late else rng.uniform(0.1, 0.9)
            finish = prompted + timedelta(days=method.due_in_days * factor, hours=rng.uniform(0, 6))
            done: datetime | None = finish
            if gate and left is not None:
                # The deal moved on, so the step was done before it did.
                done = min(finish, prompted + (left - prompted) * rng.uniform(0.3, 0.9))
            elif left is not None and finish >= left:
                done = None  # lost before the step was done
            elif left is None and (
                finish >= when.now
                or not habit.works_on(when.day_of(finish))
                or rng.random() < 0.5 * lax  # a lax seller lets it slide, overdue
            ):
                done = None
            rows.append(
                new_row(
                    OpportunityStep,
                    opportunity=deal.opportunity,
                    step=method,
                    prompted_at=prompted,
                    due_date=due,
                    completed_at=done,
                    completed_by=deal.seller.user if done else None,
                )
            )
            if done is None:
                break
            prompted = done
    return rows


def _write_orders(
    rng: random.Random,
    when: Timeline,
    deals: list[_Deal],
    statuses: dict[str, PicklistValue],
) -> int:
    """An order for each won deal, its lines copying the line items (totals = line totals)."""
    orders: list[Order] = []
    order_lines: list[list[OrderLine]] = []
    for deal in deals:
        opportunity = deal.opportunity
        if opportunity.stage.kind != Stage.Kind.WON or opportunity.closed_at is None:
            continue
        closed = opportunity.closed_at
        age = (when.now - closed).days
        status = (
            "cancelled"
            if rng.random() < 0.03
            else "draft"
            if age < 5
            else "confirmed"
            if age < 20
            else "fulfilled"
            if age < 60
            else "invoiced"
        )
        lines = [
            new_row(
                OrderLine,
                product_id=line.product_id,
                quantity=line.quantity,
                unit_price=line.unit_price,
                discount_percent=line.discount_percent,
                total=line_total(
                    quantity=line.quantity,
                    unit_price=line.unit_price,
                    discount_percent=line.discount_percent,
                ),
            )
            for line in deal.lines
        ]
        made = min(closed + timedelta(hours=rng.uniform(0.2, 30)), when.now)
        orders.append(
            new_row(
                Order,
                number=f"demo-order-{len(orders) + 1}",
                opportunity=opportunity,
                account=opportunity.account,
                owner=opportunity.owner,
                status=statuses.get(status, statuses.get("draft")),
                order_date=made.date(),
                currency=opportunity.currency,
                total_amount=(
                    sum((line.total for line in lines), _ZERO)
                    if lines
                    else opportunity.amount or _ZERO
                ),
                created_at=made,
                updated_at=made + (when.now - made) * rng.random(),
                external_id=f"demo-order-{len(orders) + 1:05d}",
            )
        )
        order_lines.append(lines)
    bulk_insert(Order, orders)
    for order, lines in zip(orders, order_lines, strict=True):
        for line in lines:
            line.order = order
    bulk_insert(OrderLine, [line for lines in order_lines for line in lines])
    # The number is "ORD-" and the id, as order_create_from_opportunity gives it (one UPDATE).
    Order.all_objects.filter(pk__in=[order.pk for order in orders]).update(
        number=Concat(
            Value(NUMBER_PREFIX),
            LPad(Cast("id", CharField()), 6, Value("0")),
            output_field=CharField(),
        )
    )
    return len(orders)
