"""A range rule (open deals' probability between 5 and 95) through the page and the API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rapport.pipeline.models import Opportunity
from rapport.pipeline.web.forms import OpportunityForm
from rapport.quality.rules.models import ValidationRule
from rapport.quality.rules.tests.conftest import form_data

pytestmark = pytest.mark.django_db

RULE = {
    "record_type": "opportunity",
    "name": "Honest odds",
    "kind": ValidationRule.Kind.RANGE,
    "field_names": ["probability"],
    "applies_when": 'stage < "closed_won"',
    "condition": "probability >= 5 and probability <= 95",
    "message": "An open deal's probability is between 5 and 95",
}


def test_the_api_refuses_a_certain_open_deal(make_rule, make_deal, rep_api):
    make_rule(**RULE)
    deal = make_deal("discovery")
    before = deal.probability
    response = rep_api.patch(
        f"/api/v1/opportunities/{deal.pk}/", {"probability": 100}, format="json"
    )
    assert response.status_code == 400
    assert "Honest odds" in str(response.json())
    assert Opportunity.objects.get(pk=deal.pk).probability == before


def test_the_page_refuses_a_hopeless_open_deal(make_rule, make_deal, rep_client):
    make_rule(**RULE)
    deal = make_deal("discovery")
    url = reverse("pipeline:opportunity-edit", args=[deal.pk])
    response = rep_client.post(url, form_data(OpportunityForm, deal, probability=0))
    assert "Honest odds" in " ".join(response.context["form"].errors["probability"])


def test_the_page_saves_a_probability_in_range(make_rule, make_deal, rep_client):
    make_rule(**RULE)
    deal = make_deal("discovery")
    url = reverse("pipeline:opportunity-edit", args=[deal.pk])
    response = rep_client.post(url, form_data(OpportunityForm, deal, probability=40))
    assert response.status_code == 302
    assert Opportunity.objects.get(pk=deal.pk).probability == 40
