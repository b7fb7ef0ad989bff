"""A rule's page and API list the records that break it now, before and after it is enabled, in
a constant number of queries however many there are."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rapport.quality.rules.tests.test_rule_required_when_stage import RULE

pytestmark = pytest.mark.django_db


def test_the_page_lists_breaking_records_with_a_warning_before_enabling(
    make_rule, make_deal, admin_client
):
    rule = make_rule(**RULE, is_active=False)
    broken = make_deal("proposal", name="No date yet")
    make_deal("proposal", name="Dated", forecast_close_date=dt.date(2026, 9, 1))
    make_deal("discovery", name="Early days")
    page = admin_client.get(reverse("rules:rule-edit", args=[rule.pk]))
    html = page.content.decode()
    assert "Records that break it now: 1" in html
    assert "No date yet" in html
    assert "Dated" not in html
    assert "If you enable the rule" in html
    assert reverse("pipeline:opportunity-detail", args=[broken.pk]) in html


def test_the_page_still_lists_them_after_enabling(make_rule, make_deal, admin_client):
    rule = make_rule(**RULE, is_active=False)
    make_deal("negotiation", name="No date yet")
    admin_client.post(reverse("rules:rule-toggle", args=[rule.pk]))
    rule.refresh_from_db()
    assert rule.is_active
    html = admin_client.get(reverse("rules:rule-edit", args=[rule.pk])).content.decode()
    assert "Records that break it now: 1" in html
    assert "saved before the rule" in html


def test_the_api_lists_the_violations(make_rule, make_deal, token_client):
    rule = make_rule(**RULE)
    broken = make_deal("proposal", name="No date yet")
    make_deal("discovery")
    body = token_client.get(f"/api/v1/validation-rules/{rule.pk}/violations/").json()
    assert body["count"] == 1
    assert body["record_type"] == "opportunity"
    assert body["records"] == [{"id": broken.pk, "name": "No date yet"}]


def test_listing_violations_takes_the_same_queries_for_2_or_20(make_rule, make_deal, token_client):
    rule = make_rule(**RULE)
    url = f"/api/v1/validation-rules/{rule.pk}/violations/"
    make_deal("proposal")
    make_deal("proposal")
    token_client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert token_client.get(url).json()["count"] == 2
    for _ in range(18):
        make_deal("proposal")
    with CaptureQueriesContext(connection) as many:
        assert token_client.get(url).json()["count"] == 20
    assert len(many) == len(few)
