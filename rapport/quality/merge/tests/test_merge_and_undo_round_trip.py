"""A merge then its undo leaves every field and every link exactly as before."""

from __future__ import annotations

import pytest

from rapport.customers.models import Account, Contact
from rapport.leads.models import Lead
from rapport.quality.merge.services import merge_undo, records_merge
from rapport.quality.merge.tests import builders as b

pytestmark = pytest.mark.django_db


def test_three_contacts_merged_then_undone_are_exactly_as_before(admin_user, rep):
    acme = b.make_account(rep, "Acme")
    first = b.make_contact(rep, acme, last_name="Lovelace", email="ada@acme.example")
    second = b.make_contact(rep, None, last_name="Lovelace", phone="+49 30 1234567")
    third = b.make_contact(rep, acme, last_name="Lovelace", job_title="CTO")
    deal = b.make_opportunity(rep, acme, contact=second)
    b.make_activity(rep, contact=second, account=acme)
    b.make_activity(rep, contact=third, opportunity=deal)
    b.make_activity(rep, contact=first)
    lead = b.make_lead(rep, converted_contact=third, converted_account=acme)
    before = b.dump()

    merge = records_merge(
        acting_user=admin_user,
        record_type="contact",
        survivor=first,
        others=[second, third],
        field_values={"phone": second.pk, "job_title": third.pk},
    )
    assert b.dump() != before
    merge_undo(acting_user=admin_user, merge=merge)

    assert b.dump() == before
    assert Lead.objects.get(pk=lead.pk).converted_contact_id == third.pk


def test_two_accounts_with_children_merged_then_undone_are_exactly_as_before(admin_user, rep):
    parent = b.make_account(rep, "Acme Group")
    survivor = b.make_account(rep, "Acme", parent=parent, city="Berlin")
    other = b.make_account(rep, "ACME GmbH", website="https://acme.example")
    b.make_account(rep, "Acme Munich", parent=other)
    b.make_contact(rep, other)
    b.make_contact(rep, survivor)
    b.make_opportunity(rep, other)
    b.make_order(rep, other, "ORD-1")
    b.make_activity(rep, account=other)
    b.make_lead(rep, converted_account=other)
    before = b.dump()

    merge = records_merge(
        acting_user=admin_user,
        record_type="account",
        survivor=survivor,
        others=[other],
        field_values={"name": other.pk, "parent": survivor.pk},
    )
    assert Account.objects.get(pk=survivor.pk).name == "ACME GmbH"
    merge_undo(acting_user=admin_user, merge=merge)

    assert b.dump() == before


def test_two_leads_with_answers_and_history_merged_then_undone_are_exactly_as_before(
    admin_user, rep
):
    survivor = b.make_lead(rep, email="lou@leadco.example")
    other = b.make_lead(rep, phone="+49 30 7654321")
    b.answer(survivor, "budget_range", b.question_value("budget_range", 0))
    b.answer(other, "budget_range", b.question_value("budget_range", 1))
    b.answer(other, "decision_timeline", b.question_value("decision_timeline", 0))
    b.status_change(other, "working")
    b.make_activity(rep, lead=other)
    before = b.dump()

    merge = records_merge(
        acting_user=admin_user, record_type="lead", survivor=survivor, others=[other]
    )
    merge_undo(acting_user=admin_user, merge=merge)

    assert b.dump() == before
    assert not Contact.objects.exists()
