"""A merge moves the related rows, bins the others, keeps their history and records itself."""

from __future__ import annotations

import pytest

from rapport.activities.models import Activity
from rapport.core.models import AuditEntry
from rapport.customers.models import Contact
from rapport.leads.models import QualificationAnswer
from rapport.pipeline.models import Opportunity
from rapport.quality.merge.models import Merge
from rapport.quality.merge.services import records_merge
from rapport.quality.merge.tests import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture
def merged(admin_user, rep):
    acme = b.make_account(rep, "Acme")
    survivor = b.make_contact(rep, acme, last_name="Lovelace", email="ada@acme.example")
    other = b.make_contact(rep, None, last_name="Lovelace", phone="+49 30 1234567")
    calls = [b.make_activity(rep, contact=other), b.make_activity(rep, contact=other)]
    deal = b.make_opportunity(rep, acme, contact=other)
    merge = records_merge(
        acting_user=admin_user,
        record_type="contact",
        survivor=survivor,
        others=[other],
        field_values={"phone": other.pk},
    )
    return merge, survivor, other, calls, deal


def test_the_others_calls_and_deals_point_at_the_survivor(merged):
    _merge, survivor, _other, calls, deal = merged
    assert b.ids(Activity.objects.filter(contact=survivor)) == b.pks(calls)
    assert Opportunity.objects.get(pk=deal.pk).contact_id == survivor.pk


def test_the_other_is_in_the_recycle_bin(merged):
    _, _, other, _, _ = merged
    assert not Contact.objects.filter(pk=other.pk).exists()
    assert Contact.all_objects.get(pk=other.pk).deleted_at is not None


def test_the_survivor_takes_the_chosen_value_and_keeps_its_own_elsewhere(merged):
    _, survivor, _, _, _ = merged
    survivor.refresh_from_db()
    assert survivor.phone == "+49301234567"  # normalised like any write
    assert survivor.email == "ada@acme.example"
    assert survivor.account is not None


def test_the_merge_row_lists_exactly_the_rows_it_moved(merged):
    merge, _survivor, other, calls, deal = merged
    assert Merge.objects.get() == merge
    moved = {(row["model"], row["field"]): row for row in merge.repointed}
    assert moved[("activities.activity", "contact")]["ids"] == b.pks(calls)
    assert moved[("activities.activity", "contact")]["old_target"] == other.pk
    assert moved[("pipeline.opportunity", "contact")]["ids"] == [deal.pk]
    assert merge.previous_values["phone"] == ""
    assert merge.field_values["phone"] == other.pk


def test_both_histories_say_what_happened(merged):
    _, survivor, other, _, _ = merged
    into = AuditEntry.objects.filter(record_type="contact", object_id=other.pk)
    assert into.filter(action=AuditEntry.Action.DELETE).exists()
    assert into.get(changes__has_key="merged_into").changes["merged_into"]["new"]["id"] == (
        survivor.pk
    )
    entry = AuditEntry.objects.get(
        record_type="contact", object_id=survivor.pk, changes__has_key="merged"
    )
    assert entry.changes["merged"]["new"] == f"#{other.pk} {other}"
    assert entry.changes["values_taken_from"]["new"] == f"phone from #{other.pk}"


def test_a_lead_keeps_its_own_answer_and_takes_the_others_missing_ones(admin_user, rep):
    survivor = b.make_lead(rep)
    other = b.make_lead(rep)
    kept = b.answer(survivor, "budget_range", b.question_value("budget_range", 0))
    clash = b.answer(other, "budget_range", b.question_value("budget_range", 1))
    moved = b.answer(other, "decision_timeline", b.question_value("decision_timeline", 0))

    records_merge(acting_user=admin_user, record_type="lead", survivor=survivor, others=[other])

    assert b.ids(QualificationAnswer.objects.filter(lead=survivor)) == sorted([kept.pk, moved.pk])
    assert QualificationAnswer.objects.get(pk=clash.pk).lead_id == other.pk
