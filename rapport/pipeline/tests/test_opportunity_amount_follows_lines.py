"""While a deal has line items its amount is their sum; its price list is in its currency."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from rapport.core.models import PicklistValue
from rapport.customers.models import Account
from rapport.pipeline.catalog import line_item_add, price_list_create
from rapport.pipeline.models import Opportunity, Product
from rapport.pipeline.services import opportunity_create, opportunity_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def deal(admin_user):
    account = Account.objects.create(name="Acme", owner=admin_user)
    return opportunity_create(
        acting_user=admin_user, values={"name": "Deal", "account": account, "amount": Decimal(5)}
    )


def test_another_amount_is_refused_while_the_deal_has_lines(admin_user, deal):
    product = Product.objects.create(name="Seat", code="SEAT")
    line_item_add(
        acting_user=admin_user,
        opportunity=deal,
        product=product,
        quantity=Decimal(2),
        unit_price=Decimal(100),
    )
    deal.refresh_from_db()
    assert deal.amount == Decimal(200)
    with pytest.raises(ValidationError) as error:
        opportunity_update(acting_user=admin_user, opportunity=deal, values={"amount": Decimal(1)})
    assert "amount" in error.value.message_dict
    assert Opportunity.objects.get(pk=deal.pk).amount == Decimal(200)
    # The same amount (a form posting every field) is fine.
    opportunity_update(
        acting_user=admin_user, opportunity=deal, values={"amount": Decimal(200), "name": "New"}
    )
    assert Opportunity.objects.get(pk=deal.pk).name == "New"


def test_a_price_list_in_another_currency_is_refused(admin_user, deal):
    usd = PicklistValue.objects.get(picklist__key="currency", key="USD")
    dollars = price_list_create(
        acting_user=admin_user, values={"name": "USD list", "currency": usd}
    )
    with pytest.raises(ValidationError) as error:
        opportunity_update(acting_user=admin_user, opportunity=deal, values={"price_list": dollars})
    assert "price_list" in error.value.message_dict
    assert Opportunity.objects.get(pk=deal.pk).price_list_id is None
