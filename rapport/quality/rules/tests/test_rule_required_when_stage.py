"""A required-when rule (amount and forecast close date from the proposal stage on) is enforced the
same way through the edit page and the API, and names the field and the rule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from rapport.pipeline.models import Opportunity
from rapport.pipeline.web.forms import OpportunityForm
from rapport.quality.rules.tests.conftest import form_data

pytestmark = pytest.mark.django_db

RULE = {
    "record_type": "opportunity",
    "name": "Sized deals",
    "field_names": ["amount", "forecast_close_date"],
    "applies_when": 'stage >= "proposal"',
    "condition": "amount is not empty and forecast_close_date is not empty",
    "message": "From Proposal on a deal needs an amount and a forecast close date",
}


def test_the_api_refuses_to_empty_the_amount_of_a_deal_at_proposal(make_rule, make_deal, rep_api):
    make_rule(**RULE)
    deal = make_deal("proposal", forecast_close_date=dt.date(2026, 12, 1))
    response = rep_api.patch(f"/api/v1/opportunities/{deal.pk}/", {"amount": None}, format="json")
    assert response.status_code == 400
    assert "Sized deals" in str(response.json())
    assert "amount" in str(response.json())
    assert Opportunity.objects.get(pk=deal.pk).amount == 1000


def test_the_api_lets_a_deal_before_proposal_have_no_amount(make_rule, make_deal, rep_api):
    make_rule(**RULE)
    deal = make_deal("discovery")
    response = rep_api.patch(f"/api/v1/opportunities/{deal.pk}/", {"amount": None}, format="json")
    assert response.status_code == 200, response.content
    assert Opportunity.objects.get(pk=deal.pk).amount is None


def test_the_edit_page_shows_the_rule_on_the_field_and_saves_nothing(
    make_rule, make_deal, rep_client
):
    make_rule(**RULE)
    deal = make_deal("negotiation", forecast_close_date=dt.date(2026, 12, 1))
    url = reverse("pipeline:opportunity-edit", args=[deal.pk])
    response = rep_client.post(url, form_data(OpportunityForm, deal, forecast_close_date=None))
    assert response.status_code in (200, 400)
    form = response.context["form"]
    assert "Sized deals" in " ".join(form.errors["forecast_close_date"])
    assert Opportunity.objects.get(pk=deal.pk).forecast_close_date == dt.date(2026, 12, 1)


def test_a_disabled_rule_is_not_enforced(make_rule, make_deal, rep_api):
    make_rule(**RULE, is_active=False)
    deal = make_deal("proposal")
    response = rep_api.patch(f"/api/v1/opportunities/{deal.pk}/", {"amount": None}, format="json")
    assert response.status_code == 200
