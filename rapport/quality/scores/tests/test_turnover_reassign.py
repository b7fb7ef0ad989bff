"""Turnover: preview what a leaver owns, then hand it over by rule, one audit entry per record."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from rapport.activities.models import Activity
from rapport.core.models import AuditEntry
from rapport.customers.models import Account
from rapport.leads.models import Lead
from rapport.quality.scores import turnover
from rapport.quality.scores.tests import helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaver(make_user, team):
    return make_user(team=team, first_name="Leo", last_name="Leaver")


@pytest.fixture
def mates(make_user, team):
    return [make_user(team=team, first_name=f"Mate{n}") for n in range(3)]


def test_the_preview_counts_only_active_records(admin_user, leaver):
    helpers.lead(leaver)
    helpers.lead(leaver, status="unqualified")
    helpers.lead(leaver, converted_at=timezone.now())
    helpers.contact(leaver)
    helpers.opportunity(leaver)  # also an account
    helpers.opportunity(leaver, stage="closed_won")  # and another account
    Activity.objects.create(kind=Activity.Kind.TASK, subject="Call back", owner=leaver)
    Activity.objects.create(
        kind=Activity.Kind.TASK, subject="Done", owner=leaver, completed_at=timezone.now()
    )
    preview = turnover.turnover_preview(acting_user=admin_user, user=leaver)
    assert preview.counts == {"lead": 1, "opportunity": 1, "account": 2, "contact": 1, "task": 1}
    assert preview.total == 6


def test_round_robin_shares_records_evenly_across_active_team_mates(
    admin_user, leaver, mates, make_user, team
):
    make_user(team=team, is_active=False)  # an inactive team mate gets nothing
    for n in range(7):
        helpers.lead(leaver, last_name=f"L{n}")
    report = turnover.records_reassign(
        acting_user=admin_user,
        from_user=leaver,
        plan=turnover.TurnoverPlan({"lead": turnover.Rule(turnover.RULE_ROUND_ROBIN)}),
    )
    counts = sorted(Lead.objects.filter(owner__in=mates).values_list("owner", flat=True))
    assert [counts.count(mate.pk) for mate in mates] == [3, 2, 2]
    assert not Lead.objects.filter(owner=leaver).exists()
    assert len(report.lines) == 7


def test_one_successor_gets_everything_and_each_record_has_one_audit_entry(
    admin_user, leaver, mates
):
    lead = helpers.lead(leaver)
    account = helpers.account(leaver)
    report = turnover.records_reassign(
        acting_user=admin_user,
        from_user=leaver,
        plan=turnover.TurnoverPlan.for_all(turnover.Rule(turnover.RULE_SUCCESSOR, mates[0])),
    )
    assert Lead.objects.get(pk=lead.pk).owner == mates[0]
    assert Account.objects.get(pk=account.pk).owner == mates[0]
    entries = AuditEntry.objects.filter(changes__owner__old__id=leaver.pk)
    assert sorted(entries.values_list("record_type", "object_id")) == sorted(
        [("lead", lead.pk), ("account", account.pk)]
    )
    entry = entries.get(record_type="lead")
    assert entry.actor == admin_user
    assert entry.changes["owner"]["new"]["id"] == mates[0].pk
    assert report.per_owner() == [(str(mates[0]), {"lead": 1, "account": 1})]
    assert "account" in report.as_csv()


def test_by_office_goes_to_people_in_the_records_country(admin_user, leaver, make_user, office):
    berliner = make_user(office=office)
    fallback = make_user()
    german = helpers.account(leaver, country="DE")
    french = helpers.account(leaver, name="Paris SA", country="FR")
    turnover.records_reassign(
        acting_user=admin_user,
        from_user=leaver,
        plan=turnover.TurnoverPlan({"account": turnover.Rule(turnover.RULE_OFFICE, fallback)}),
    )
    assert Account.objects.get(pk=german.pk).owner == berliner
    assert Account.objects.get(pk=french.pk).owner == fallback


def test_kinds_left_out_of_the_plan_stay_and_are_counted(admin_user, leaver, mates):
    helpers.contact(leaver)
    report = turnover.records_reassign(
        acting_user=admin_user, from_user=leaver, plan=turnover.TurnoverPlan()
    )
    assert report.kept["contact"] == 1
    assert report.lines == ()


def test_a_non_administrator_is_refused_and_nothing_changes(rep, leaver, mates):
    lead = helpers.lead(leaver)
    with pytest.raises(PermissionDenied):
        turnover.records_reassign(
            acting_user=rep,
            from_user=leaver,
            plan=turnover.TurnoverPlan.for_all(turnover.Rule(turnover.RULE_SUCCESSOR, mates[0])),
        )
    assert Lead.objects.get(pk=lead.pk).owner == leaver
    assert not AuditEntry.objects.filter(changes__owner__old__id=leaver.pk).exists()


def test_an_inactive_successor_is_refused_naming_the_field(admin_user, leaver, make_user):
    gone = make_user(is_active=False)
    lead = helpers.lead(leaver)
    with pytest.raises(ValidationError) as error:
        turnover.records_reassign(
            acting_user=admin_user,
            from_user=leaver,
            plan=turnover.TurnoverPlan({"lead": turnover.Rule(turnover.RULE_SUCCESSOR, gone)}),
        )
    assert "successor" in error.value.message_dict
    assert Lead.objects.get(pk=lead.pk).owner == leaver


def test_round_robin_without_team_mates_is_refused(admin_user, leaver):
    helpers.lead(leaver)
    with pytest.raises(ValidationError):
        turnover.records_reassign(
            acting_user=admin_user,
            from_user=leaver,
            plan=turnover.TurnoverPlan({"lead": turnover.Rule(turnover.RULE_ROUND_ROBIN)}),
        )
