"""A record's score: 100 minus the points of each thing to fix, weighted by its stage."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from rapport.quality.scores import scoring
from rapport.quality.scores.tests import helpers

pytestmark = pytest.mark.django_db


def _fields(score: scoring.RecordScore | None) -> set[str]:
    assert score is not None
    return {issue.field for issue in score.issues}


def test_a_new_lead_needs_a_company_and_a_way_to_reach_them(rep):
    lead = helpers.lead(rep, first_name="Grace")
    score = scoring.score_record("lead", lead.pk)
    assert _fields(score) == {"company", "email"}
    assert score is not None
    assert score.score == 100 - 20 - 25


def test_a_complete_new_lead_scores_100(rep):
    lead = helpers.lead(rep, first_name="Grace", company="Navy", email="grace@example.com")
    score = scoring.score_record("lead", lead.pk)
    assert score is not None
    assert score.score == 100
    assert score.issues == ()


def test_a_qualified_lead_also_needs_its_qualification_answers(rep):
    lead = helpers.lead(
        rep, status="qualified", first_name="Grace", company="Navy", email="grace@example.com"
    )
    assert {"qualification", "title_level"} <= _fields(scoring.score_record("lead", lead.pk))


def test_an_invalid_email_and_phone_are_reported(rep):
    lead = helpers.lead(
        rep, first_name="G", company="Navy", email="not-an-email@", phone="12", country="DE"
    )
    score = scoring.score_record("lead", lead.pk)
    assert score is not None
    reasons = {issue.field: issue.reason for issue in score.issues}
    assert "not valid" in reasons["email"]
    assert "phone" in reasons


def test_a_valid_phone_with_the_country_passes(rep):
    lead = helpers.lead(rep, first_name="G", company="Navy", phone="030 1234567", country="DE")
    assert "phone" not in _fields(scoring.score_record("lead", lead.pk))


def test_an_open_lead_untouched_for_three_months_is_stale(rep):
    with time_machine.travel(timezone.now() - datetime.timedelta(days=120), tick=False):
        lead = helpers.lead(rep, first_name="G", company="Navy", email="g@example.com")
    assert "updated_at" in _fields(scoring.score_record("lead", lead.pk))


def test_an_early_opportunity_does_not_need_an_amount_yet(rep):
    opportunity = helpers.opportunity(rep)
    assert "amount" not in _fields(scoring.score_record("opportunity", opportunity.pk))


def test_an_opportunity_at_proposal_needs_amount_and_forecast_date(rep):
    opportunity = helpers.opportunity(rep, stage="proposal")
    fields = _fields(scoring.score_record("opportunity", opportunity.pk))
    assert {"amount", "forecast_close_date"} <= fields


def test_a_contact_needs_a_way_to_reach_them_and_a_title_level(rep):
    contact = helpers.contact(rep)
    assert {"email", "title_level", "account"} <= _fields(
        scoring.score_record("contact", contact.pk)
    )


def test_an_account_without_industry_or_country_loses_points(rep):
    account = helpers.account(rep, website="https://acme.example", phone="+49 30 1234567")
    score = scoring.score_record("account", account.pk)
    assert _fields(score) == {"industry", "country"}


def test_a_registered_issue_source_adds_its_issues(rep):
    account = helpers.account(rep)

    def source(record_type: str, ids: list[int]) -> dict[int, list[scoring.Issue]]:
        return {ids[0]: [scoring.Issue("record", "Suspected duplicate", 15)]}

    scoring.register_issue_source(source)
    try:
        assert "record" in _fields(scoring.score_record("account", account.pk))
    finally:
        scoring.unregister_issue_source(source)


def test_a_record_in_the_recycle_bin_has_no_score(rep):
    account = helpers.account(rep)
    account.deleted_at = timezone.now()
    account.save()
    assert scoring.score_record("account", account.pk) is None
