"""What conditions mean on real records: stages in pipeline order, picklists by key, links
followed, related calls counted (deleted ones not), relative time at a fixed moment, and unsaved
records judged in memory."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from rapport.access.models import User
from rapport.activities.models import Activity
from rapport.core.conditions import filter_queryset, matches, parse
from rapport.core.models import PicklistValue
from rapport.customers.models import Account
from rapport.pipeline.defaults import stages_ensure_defaults
from rapport.pipeline.models import Opportunity, Stage

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def deals(rep: User) -> dict[str, Opportunity]:
    stages_ensure_defaults()
    stage = {s.key: s for s in Stage.objects.all()}
    currency = PicklistValue.objects.filter(picklist__key="currency").order_by("sort_order")[0]
    industry = PicklistValue.objects.filter(picklist__key="industry").order_by("sort_order")[0]
    made = {}
    for name, key, industry_value, hours in (
        ("early", "discovery", industry, 1),
        ("late", "negotiation", None, 80),
        ("won", "closed_won", None, 30),
    ):
        account = Account.objects.create(name=name, owner=rep, industry=industry_value)
        made[name] = Opportunity.objects.create(
            name=name,
            account=account,
            owner=rep,
            stage=stage[key],
            currency=currency,
            probability=50,
            amount=Decimal(100),
            stage_changed_at=NOW - dt.timedelta(hours=hours),
        )
    Activity.objects.create(kind="call", subject="a", owner=rep, opportunity=made["late"])
    Activity.objects.create(kind="call", subject="b", owner=rep, opportunity=made["late"])
    Activity.objects.create(
        kind="call", subject="gone", owner=rep, opportunity=made["early"], deleted_at=NOW
    )
    return made


def _names(text: str) -> set[str]:
    condition = parse(text, "opportunity")
    found = {o.name for o in filter_queryset(Opportunity.objects.all(), condition, now=NOW)}
    in_memory = {o.name for o in Opportunity.objects.all() if matches(condition, o, now=NOW)}
    assert found == in_memory
    return found


def test_stages_compare_in_pipeline_order(deals):
    assert _names('stage >= "proposal"') == {"late", "won"}
    assert _names('stage < "proposal"') == {"early"}


def test_picklists_compare_by_key_through_links(deals):
    key = deals["early"].account.industry.key
    assert _names(f'account.industry = "{key}"') == {"early"}
    assert _names("account.industry is empty") == {"late", "won"}


def test_related_calls_are_counted_without_deleted_ones(deals):
    assert _names('count(activities where kind = "call") >= 2') == {"late"}
    assert _names("exists(activities)") == {"late"}


def test_relative_time_is_measured_from_now(deals):
    assert _names("stage_changed_at older_than 2d") == {"late"}
    assert _names("stage_changed_at within 1d") == {"early"}


def test_an_unsaved_record_is_judged_in_memory_with_no_related_records(deals, rep):
    draft = Opportunity(name="draft", stage=Stage.objects.get(key="proposal"), amount=None)
    assert matches(parse('stage >= "proposal" and amount is empty', "opportunity"), draft)
    assert not matches(parse("exists(activities)", "opportunity"), draft)
