"""Open pipeline per account, for the account structure view: one query, open deals only."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rapport.core.models import PicklistValue
from rapport.customers.models import Account
from rapport.pipeline import selectors, services

pytestmark = pytest.mark.django_db


def test_it_sums_the_open_deals_of_each_account(make_opportunity, account, rep, stages):
    other = Account.objects.create(name="Globex", owner=rep)
    make_opportunity(rep, amount=Decimal(1000))
    make_opportunity(rep, amount=Decimal(250))
    make_opportunity(rep, account=other, amount=Decimal(40))
    lost = make_opportunity(rep, amount=Decimal(99999))
    services.opportunity_move_stage(
        acting_user=rep,
        opportunity=lost,
        stage=stages["closed_lost"],
        values={"loss_reason": PicklistValue.objects.get(picklist__key="loss_reason", key="price")},
    )
    empty = Account.objects.create(name="Initech", owner=rep)
    totals = selectors.open_pipeline_by_account([account.pk, other.pk, empty.pk])
    assert totals == {account.pk: Decimal(1250), other.pk: Decimal(40)}


def test_it_is_one_query(make_opportunity, account, rep, django_assert_num_queries):
    make_opportunity(rep, amount=Decimal(1000))
    with django_assert_num_queries(1):
        selectors.open_pipeline_by_account([account.pk])


def test_with_a_viewer_only_the_deals_they_may_see_count(make_opportunity, account, rep, make_user):
    make_opportunity(rep, amount=Decimal(1000))
    other_rep = make_user(role="sales_rep")
    assert selectors.open_pipeline_by_account([account.pk], viewer=rep) == {
        account.pk: Decimal(1000)
    }
    assert selectors.open_pipeline_by_account([account.pk], viewer=other_rep) == {}
