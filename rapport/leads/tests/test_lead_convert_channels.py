"""Conversion is enforced identically on the conversion page and through the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from rapport.activities.models import Activity
from rapport.customers.models import Account, Contact
from rapport.leads.models import Lead
from rapport.leads.tests.helpers import make_lead, qualified_lead
from rapport.pipeline.models import Opportunity

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, int, int]:
    return (
        Account.all_objects.count(),
        Contact.all_objects.count(),
        Opportunity.all_objects.count(),
    )


class Api:
    def __init__(self, user: Any) -> None:
        self.client = APIClient()
        self.client.force_authenticate(user)

    def convert(self, lead: Lead, **opportunity: Any) -> tuple[int, dict[str, Any]]:
        body: dict[str, Any] = {"opportunity": opportunity}
        response = self.client.post(f"/api/v1/leads/{lead.pk}/convert/", body, format="json")
        return response.status_code, response.json()


class Page:
    def __init__(self, user: Any) -> None:
        self.client = Client()
        self.client.force_login(user)

    def convert(self, lead: Lead, **opportunity: Any) -> tuple[int, dict[str, Any]]:
        data = {"account": "new", "contact": "new", "create_opportunity": "on", **opportunity}
        page = self.client.get(f"/leads/{lead.pk}/convert/")
        if page.status_code == 200:
            form = page.context["form"]
            data["account"] = form.initial["account"]
            data["contact"] = form.initial["contact"]
        response = self.client.post(f"/leads/{lead.pk}/convert/", data)
        errors: dict[str, Any] = {}
        if response.context and "form" in response.context:
            errors = dict(response.context["form"].errors)
        return response.status_code, errors


CHANNELS = [pytest.param(Api, id="api"), pytest.param(Page, id="page")]
DEAL = {"name": "Big deal", "amount": "5000.00", "forecast_close_date": "2027-06-30"}


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_qualified_lead_converts(channel, rep) -> None:
    lead = qualified_lead(rep)
    Activity.objects.create(kind="call", subject="Intro", owner=rep, lead=lead)
    status, _ = channel(rep).convert(lead, **DEAL)
    assert status in {201, 302}
    lead.refresh_from_db()
    assert lead.status.key == "converted"
    assert lead.converted_opportunity is not None
    assert lead.converted_opportunity.name == "Big deal"
    assert Activity.objects.get(lead=lead).opportunity == lead.converted_opportunity


def test_the_page_redirects_to_the_new_opportunity(rep) -> None:
    lead = qualified_lead(rep)
    client = Client()
    client.force_login(rep)
    response = client.post(
        f"/leads/{lead.pk}/convert/",
        {"account": "new", "contact": "new", "create_opportunity": "on", **DEAL},
    )
    lead.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == f"/opportunities/{lead.converted_opportunity_id}/"


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_lead_that_is_not_qualified_is_refused(channel, rep) -> None:
    lead = make_lead(rep)
    before = _counts()
    status, _ = channel(rep).convert(lead, **DEAL)
    assert status == 400
    assert _counts() == before
    assert Lead.objects.get(pk=lead.pk).status.key == "new"


@pytest.mark.parametrize("channel", CHANNELS)
def test_amount_and_forecast_date_are_required_and_named(channel, rep) -> None:
    lead = qualified_lead(rep)
    before = _counts()
    status, errors = channel(rep).convert(lead, name="Deal")
    assert status == 400
    fields = errors.get("error", {}).get("fields", errors)
    assert {"amount", "forecast_close_date"} <= set(fields)
    assert _counts() == before
    assert Lead.objects.get(pk=lead.pk).converted_at is None


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_role_that_only_reads_leads_cannot_convert(channel, rep, make_user) -> None:
    lead = qualified_lead(rep)
    before = _counts()
    status, _ = channel(make_user(role="executive")).convert(lead, **DEAL)
    assert status == 403
    assert _counts() == before
    assert Lead.objects.get(pk=lead.pk).converted_at is None


@pytest.mark.parametrize("channel", CHANNELS)
def test_another_reps_lead_is_not_found(channel, rep, make_user) -> None:
    lead = qualified_lead(make_user(role="sales_rep"))
    before = _counts()
    status, _ = channel(rep).convert(lead, **DEAL)
    assert status == 404
    assert _counts() == before


def test_the_page_suggests_the_matching_account_and_contact(rep) -> None:
    account = Account.objects.create(name="Leadco", owner=rep)
    contact = Contact.objects.create(
        first_name="Lou", last_name="Lead", email="lou@leadco.example", account=account, owner=rep
    )
    lead = qualified_lead(rep)
    client = Client()
    client.force_login(rep)
    page = client.get(f"/leads/{lead.pk}/convert/")
    html = page.content.decode()
    assert "Use Leadco" in html
    assert "Create a new account" in html
    assert page.context["form"].initial["contact"] == str(contact.pk)


def test_the_api_reuses_a_picked_account(rep) -> None:
    account = Account.objects.create(name="Chosen", owner=rep)
    lead = qualified_lead(rep)
    api = APIClient()
    api.force_authenticate(rep)
    response = api.post(
        f"/api/v1/leads/{lead.pk}/convert/",
        {"account": account.pk, "opportunity": DEAL},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["account"] == account.pk
    assert body["account_created"] is False
    assert body["contact_created"] is True


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_failure_while_converting_leaves_nothing_written(channel, rep) -> None:
    from unittest import mock

    from django.core.exceptions import ValidationError

    lead = qualified_lead(rep)
    call = Activity.objects.create(kind="call", subject="Intro", owner=rep, lead=lead)
    before = _counts()
    with mock.patch(
        "rapport.pipeline.services.opportunity_create",
        side_effect=ValidationError({"stage": "There is no active open stage."}),
    ):
        status, _ = channel(rep).convert(lead, **DEAL)
    assert status == 400
    assert _counts() == before
    assert Lead.objects.get(pk=lead.pk).status.key == "qualified"
    assert Activity.objects.get(pk=call.pk).account_id is None
