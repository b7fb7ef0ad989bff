"""activity_create: kind rules, links, owner, audit and permissions."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from rapport.activities.models import Activity
from rapport.activities.services import activity_create
from rapport.activities.tests.factories import (
    make_account,
    make_contact,
    make_lead,
    make_opportunity,
    make_step,
    picklist_value,
)
from rapport.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _errors(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def test_a_call_is_logged_for_the_acting_person_with_an_audit_entry(rep):
    account = make_account(rep)
    call = activity_create(
        acting_user=rep,
        values={
            "kind": "call",
            "subject": "Intro call",
            "account": account,
            "call_outcome": "voicemail",
            "duration_minutes": 5,
        },
    )
    assert call.owner == rep
    assert call.call_outcome == picklist_value("call_outcome", "voicemail")
    entry = AuditEntry.objects.get(record_type="activity", object_id=call.pk)
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.changes["subject"] == {"old": None, "new": "Intro call"}


def test_a_task_needs_a_due_date(rep):
    account = make_account(rep)
    with pytest.raises(ValidationError) as excinfo:
        activity_create(
            acting_user=rep, values={"kind": "task", "subject": "Send quote", "account": account}
        )
    assert _errors(excinfo)["due_date"] == ["A task needs a due date."]
    assert not Activity.objects.exists()


def test_a_meeting_must_end_after_it_starts(rep):
    account = make_account(rep)
    start = timezone.now()
    with pytest.raises(ValidationError) as excinfo:
        activity_create(
            acting_user=rep,
            values={
                "kind": "meeting",
                "subject": "Demo",
                "account": account,
                "occurred_at": start,
                "ends_at": start - datetime.timedelta(minutes=30),
            },
        )
    assert _errors(excinfo)["ends_at"] == ["A meeting must end after it starts."]


def test_a_meeting_that_ends_after_it_starts_is_saved(rep):
    account = make_account(rep)
    start = timezone.now()
    meeting = activity_create(
        acting_user=rep,
        values={
            "kind": "meeting",
            "subject": "Demo",
            "account": account,
            "occurred_at": start,
            "ends_at": start + datetime.timedelta(hours=1),
        },
    )
    assert meeting.ends_at == start + datetime.timedelta(hours=1)


def test_a_call_outcome_is_only_for_calls(rep):
    account = make_account(rep)
    with pytest.raises(ValidationError) as excinfo:
        activity_create(
            acting_user=rep,
            values={
                "kind": "note",
                "subject": "Thoughts",
                "account": account,
                "call_outcome": "connected",
            },
        )
    assert _errors(excinfo)["call_outcome"] == ["Call outcome is only for calls."]


def test_an_activity_must_concern_a_record_and_says_which_fields(rep):
    with pytest.raises(ValidationError) as excinfo:
        activity_create(acting_user=rep, values={"kind": "note", "subject": "Floating"})
    message = _errors(excinfo)["account"][0]
    for name in ("account", "contact", "lead", "opportunity"):
        assert name in message


def test_the_account_is_filled_from_the_contact(rep):
    account = make_account(rep)
    contact = make_contact(rep, account)
    note = activity_create(
        acting_user=rep, values={"kind": "note", "subject": "Met at fair", "contact": contact}
    )
    assert note.account == account


def test_the_account_is_filled_from_the_opportunity(rep):
    account = make_account(rep)
    deal = make_opportunity(rep, account)
    email = activity_create(
        acting_user=rep, values={"kind": "email", "subject": "Proposal", "opportunity": deal.pk}
    )
    assert email.account == account


def test_a_methodology_task_takes_the_opportunity_and_account_of_its_step(rep):
    account = make_account(rep)
    deal = make_opportunity(rep, account)
    step = make_step(deal)
    task = activity_create(
        acting_user=rep,
        values={
            "kind": "task",
            "subject": "Run the demo",
            "opportunity_step": step,
            "due_date": datetime.date(2026, 1, 5),
        },
    )
    assert task.opportunity == deal
    assert task.account == account


def test_a_lead_alone_is_enough(rep):
    lead = make_lead(rep)
    call = activity_create(acting_user=rep, values={"kind": "call", "subject": "Hi", "lead": lead})
    assert call.lead == lead
    assert call.account is None


def test_a_role_without_create_permission_is_refused_and_nothing_is_saved(make_user, rep):
    viewer = make_user(role="executive")
    account = make_account(rep)
    with pytest.raises(PermissionDenied):
        activity_create(
            acting_user=viewer, values={"kind": "note", "subject": "x", "account": account}
        )
    assert not Activity.objects.exists()


def test_linking_to_a_record_out_of_sight_answers_no_such_record(make_user, rep):
    other = make_user()
    account = make_account(other)
    with pytest.raises(ValidationError) as excinfo:
        activity_create(
            acting_user=rep, values={"kind": "note", "subject": "x", "account": account}
        )
    assert _errors(excinfo)["account"] == ["There is no such account."]
    assert not Activity.objects.exists()


def test_other_apps_may_skip_the_permission_check(make_user, rep):
    viewer = make_user(role="executive")
    account = make_account(rep)
    task = activity_create(
        acting_user=viewer,
        values={
            "kind": "task",
            "subject": "Follow up",
            "account": account,
            "owner": rep,
            "due_date": datetime.date(2026, 1, 5),
        },
        check_permission=False,
    )
    assert task.owner == rep


def test_unknown_fields_are_refused_by_name(rep):
    account = make_account(rep)
    with pytest.raises(ValidationError) as excinfo:
        activity_create(
            acting_user=rep,
            values={"kind": "note", "subject": "x", "account": account, "deleted_at": None},
        )
    assert "deleted_at" in _errors(excinfo)
