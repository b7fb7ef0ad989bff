"""Converting a qualified lead: account, contact and opportunity in one step, reusing what
matches, carrying activities and answers, all or nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rapport.activities.models import Activity
from rapport.core.models import AuditEntry
from rapport.customers.models import Account, Contact
from rapport.leads import services
from rapport.leads.models import Lead, LeadStatusChange, QualificationAnswer
from rapport.leads.tests.helpers import make_lead, qualified_lead, question, value
from rapport.pipeline.models import Opportunity

pytestmark = pytest.mark.django_db

DEAL = {"amount": Decimal("12000"), "forecast_close_date": datetime.date(2027, 3, 31)}


def _state() -> tuple[int, ...]:
    return (
        Account.all_objects.count(),
        Contact.all_objects.count(),
        Opportunity.all_objects.count(),
        AuditEntry.objects.count(),
        LeadStatusChange.objects.count(),
    )


def test_a_qualified_lead_becomes_an_account_a_contact_and_an_opportunity(rep) -> None:
    lead = qualified_lead(rep, company="Globex Inc.", website="https://www.globex.example")
    result = services.lead_convert(acting_user=rep, lead=lead, opportunity_values=DEAL)
    assert result.account_created
    assert result.contact_created
    assert result.account.name == "Globex Inc."
    assert result.account.website == "https://www.globex.example"
    assert (result.contact.last_name, result.contact.email) == ("Lead", "lou@leadco.example")
    assert result.contact.account == result.account
    opportunity = result.opportunity
    assert opportunity is not None
    assert (opportunity.account, opportunity.contact) == (result.account, result.contact)
    assert (opportunity.amount, opportunity.forecast_close_date) == (
        DEAL["amount"],
        DEAL["forecast_close_date"],
    )
    assert opportunity.owner == rep


def test_the_lead_links_back_and_is_converted(rep) -> None:
    lead = qualified_lead(rep)
    result = services.lead_convert(acting_user=rep, lead=lead, opportunity_values=DEAL)
    lead = Lead.objects.get(pk=lead.pk)
    assert lead.status.key == "converted"
    assert lead.converted_account == result.account
    assert lead.converted_contact == result.contact
    assert lead.converted_opportunity == result.opportunity
    assert lead.converted_by == rep
    assert lead.converted_at is not None
    latest = LeadStatusChange.objects.filter(lead=lead).latest("changed_at", "id")
    assert latest.from_status is not None
    assert (latest.from_status.key, latest.to_status.key) == ("qualified", "converted")


def test_the_conversion_is_audited_on_the_lead(rep) -> None:
    lead = qualified_lead(rep)
    result = services.lead_convert(acting_user=rep, lead=lead, opportunity_values=DEAL)
    assert result.opportunity is not None
    entry = AuditEntry.objects.filter(record_type="lead", object_id=lead.pk).latest("id")
    assert entry.changes["status"]["new"]["repr"] == "Converted"
    assert entry.changes["converted_opportunity"]["new"]["id"] == result.opportunity.pk
    assert AuditEntry.objects.filter(
        record_type="opportunity", object_id=result.opportunity.pk, action="create"
    ).exists()


def test_an_account_with_the_same_name_but_another_legal_form_is_reused(rep) -> None:
    existing = Account.objects.create(name="ACME GmbH", owner=rep)
    lead = qualified_lead(rep, company="Acme, Inc.")
    result = services.lead_convert(acting_user=rep, lead=lead, opportunity_values=DEAL)
    assert result.account == existing
    assert not result.account_created
    assert Account.objects.count() == 1


def test_an_account_with_the_same_web_site_domain_is_reused(rep) -> None:
    existing = Account.objects.create(
        name="Initech Holdings", website="http://initech.example/about", owner=rep
    )
    lead = qualified_lead(rep, company="Initech Labs", website="https://www.initech.example")
    result = services.lead_convert(acting_user=rep, lead=lead, opportunity_values=DEAL)
    assert result.account == existing


def test_a_contact_with_the_same_email_is_reused_with_their_account(rep) -> None:
    account = Account.objects.create(name="Umbrella", owner=rep)
    existing = Contact.objects.create(
        first_name="Lou", last_name="Lead", email="LOU@leadco.example", account=account, owner=rep
    )
    lead = qualified_lead(rep, company="Something else entirely")
    result = services.lead_convert(acting_user=rep, lead=lead, opportunity_values=DEAL)
    assert (result.contact, result.account) == (existing, account)
    assert not (result.account_created)
    assert not (result.contact_created)
    assert Contact.objects.count() == 1


def test_the_caller_may_ask_for_new_records_despite_a_match(rep) -> None:
    Account.objects.create(name="Acme", owner=rep)
    lead = qualified_lead(rep, company="Acme")
    result = services.lead_convert(
        acting_user=rep,
        lead=lead,
        create_account=True,
        create_contact=True,
        opportunity_values=DEAL,
    )
    assert result.account_created
    assert Account.objects.filter(name="Acme").count() == 2


def test_a_match_the_rep_may_not_see_is_not_reused(rep, make_user) -> None:
    other = make_user(role="sales_rep")
    Account.objects.create(name="Acme", owner=other)
    lead = qualified_lead(rep, company="Acme")
    result = services.lead_convert(acting_user=rep, lead=lead, opportunity_values=DEAL)
    assert result.account_created
    assert result.account.owner == rep


def test_activities_move_to_the_new_records(rep) -> None:
    lead = qualified_lead(rep)
    call = Activity.objects.create(kind="call", subject="Intro", owner=rep, lead=lead)
    note = Activity.objects.create(kind="note", subject="Fair", owner=rep, lead=lead)
    result = services.lead_convert(acting_user=rep, lead=lead, opportunity_values=DEAL)
    assert result.opportunity is not None
    for activity in Activity.objects.filter(pk__in=[call.pk, note.pk]):
        assert activity.lead_id == lead.pk  # the lead keeps its history too
        assert activity.account_id == result.account.pk
        assert activity.contact_id == result.contact.pk
        assert activity.opportunity_id == result.opportunity.pk


def test_answers_are_carried_over_to_the_opportunity(rep) -> None:
    lead = qualified_lead(rep)
    services.lead_answers_set(
        acting_user=rep,
        lead=lead,
        answers={
            question("budget_range"): value("budget_range", "50k_250k"),
            question("decision_timeline"): value("decision_timeline", "90_days"),
        },
    )
    result = services.lead_convert(acting_user=rep, lead=lead, opportunity_values=DEAL)
    carried = QualificationAnswer.objects.filter(opportunity=result.opportunity)
    assert sorted(a.question.key for a in carried) == ["budget_range", "decision_timeline"]


def test_only_a_qualified_lead_can_be_converted(rep) -> None:
    lead = make_lead(rep)
    before = _state()
    with pytest.raises(ValidationError) as error:
        services.lead_convert(acting_user=rep, lead=lead, opportunity_values=DEAL)
    assert "status" in error.value.message_dict
    assert _state() == before
    assert Lead.objects.get(pk=lead.pk).converted_at is None


def test_a_converted_lead_cannot_be_converted_again(rep) -> None:
    lead = qualified_lead(rep)
    services.lead_convert(acting_user=rep, lead=lead, opportunity_values=DEAL)
    before = _state()
    with pytest.raises(ValidationError):
        services.lead_convert(acting_user=rep, lead=lead, opportunity_values=DEAL)
    assert _state() == before


def test_amount_and_forecast_close_date_are_required(rep) -> None:
    lead = qualified_lead(rep)
    before = _state()
    with pytest.raises(ValidationError) as error:
        services.lead_convert(acting_user=rep, lead=lead, opportunity_values={"name": "Deal"})
    assert set(error.value.message_dict) == {"amount", "forecast_close_date"}
    assert _state() == before


def test_without_an_opportunity_no_amount_is_needed(rep) -> None:
    lead = qualified_lead(rep)
    result = services.lead_convert(acting_user=rep, lead=lead, create_opportunity=False)
    assert result.opportunity is None
    assert Lead.objects.get(pk=lead.pk).status.key == "converted"


def test_a_failure_half_way_leaves_nothing_written(rep) -> None:
    lead = qualified_lead(rep)
    call = Activity.objects.create(kind="call", subject="Intro", owner=rep, lead=lead)
    services.lead_answer(
        acting_user=rep,
        lead=lead,
        question=question("need_level"),
        value=value("need_level", "critical"),
    )
    before = _state()
    with (
        mock.patch(
            "rapport.pipeline.services.opportunity_create",
            side_effect=ValidationError({"stage": "No stage."}),
        ),
        pytest.raises(ValidationError),
    ):
        services.lead_convert(acting_user=rep, lead=lead, opportunity_values=DEAL)
    assert _state() == before
    assert Lead.objects.get(pk=lead.pk).status.key == "qualified"
    assert Activity.objects.get(pk=call.pk).account_id is None
    assert QualificationAnswer.objects.get(lead=lead).opportunity_id is None


def test_a_role_that_may_only_read_leads_cannot_convert(rep, make_user) -> None:
    lead = qualified_lead(rep)
    executive = make_user(role="executive")
    before = _state()
    with pytest.raises(PermissionDenied):
        services.lead_convert(acting_user=executive, lead=lead, opportunity_values=DEAL)
    assert _state() == before


def test_company_names_are_compared_without_legal_form_or_punctuation() -> None:
    assert services.company_key("ACME GmbH") == services.company_key("Acme, Inc.")
    assert services.company_key("Foo & Bar Ltd.") == "foo bar"
    assert services.company_key("Acme Robotics") != services.company_key("Acme")
    assert services.website_domain("https://www.Example.com/path") == "example.com"
    assert services.website_domain("example.org") == "example.org"
