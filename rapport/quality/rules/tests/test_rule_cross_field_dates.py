"""A cross-field rule: the forecast close date is not before the deal was created."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from rapport.pipeline.models import Opportunity
from rapport.pipeline.web.forms import OpportunityForm
from rapport.quality.rules.models import ValidationRule
from rapport.quality.rules.tests.conftest import form_data

pytestmark = pytest.mark.django_db

RULE = {
    "record_type": "opportunity",
    "name": "Close after creation",
    "kind": ValidationRule.Kind.CROSS_FIELD,
    "field_names": ["forecast_close_date"],
    "applies_when": "forecast_close_date is not empty",
    "condition": "forecast_close_date >= created_at",
    "message": "A deal cannot close before it was created",
}


@time_machine.travel(dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC))
def test_the_api_refuses_a_close_date_before_creation(make_rule, make_deal, rep_api):
    make_rule(**RULE)
    deal = make_deal()
    response = rep_api.patch(
        f"/api/v1/opportunities/{deal.pk}/", {"forecast_close_date": "2026-06-14"}, format="json"
    )
    assert response.status_code == 400
    assert "Close after creation" in str(response.json())
    assert Opportunity.objects.get(pk=deal.pk).forecast_close_date is None


@time_machine.travel(dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC))
def test_the_api_accepts_the_day_of_creation(make_rule, make_deal, rep_api):
    make_rule(**RULE)
    deal = make_deal()
    response = rep_api.patch(
        f"/api/v1/opportunities/{deal.pk}/", {"forecast_close_date": "2026-06-15"}, format="json"
    )
    assert response.status_code == 200, response.content


@time_machine.travel(dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC))
def test_the_page_refuses_a_close_date_before_creation(make_rule, make_deal, rep_client):
    make_rule(**RULE)
    deal = make_deal()
    url = reverse("pipeline:opportunity-edit", args=[deal.pk])
    data = form_data(OpportunityForm, deal, forecast_close_date="2026-01-01")
    response = rep_client.post(url, data)
    assert "Close after creation" in " ".join(
        response.context["form"].errors["forecast_close_date"]
    )
