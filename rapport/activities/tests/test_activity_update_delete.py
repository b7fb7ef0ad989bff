"""activity_update and activity_delete: rules on change, audit, recycle bin, denials."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from rapport.activities.models import Activity
from rapport.activities.services import activity_delete, activity_update
from rapport.activities.tests.factories import make_account, make_activity
from rapport.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_an_update_is_audited_with_the_changed_fields(rep):
    call = make_activity(rep, account=make_account(rep))
    activity_update(acting_user=rep, activity=call, values={"subject": "Renewal call"})
    entry = AuditEntry.objects.get(record_type="activity", object_id=call.pk)
    assert entry.changes == {"subject": {"old": "Catch-up", "new": "Renewal call"}}


def test_an_update_that_changes_nothing_writes_nothing(rep):
    call = make_activity(rep, account=make_account(rep))
    activity_update(acting_user=rep, activity=call, values={"subject": "Catch-up"})
    assert not AuditEntry.objects.filter(record_type="activity").exists()


def test_turning_a_call_into_a_task_needs_a_due_date(rep):
    call = make_activity(rep, account=make_account(rep))
    with pytest.raises(ValidationError) as excinfo:
        activity_update(acting_user=rep, activity=call, values={"kind": "task"})
    assert "due_date" in excinfo.value.message_dict
    assert Activity.objects.get(pk=call.pk).kind == "call"


def test_someone_else_cannot_edit_a_reps_activity(make_user, rep):
    other = make_user()
    call = make_activity(rep, account=make_account(rep))
    with pytest.raises(Http404):
        activity_update(acting_user=other, activity=call, values={"subject": "Hijacked"})
    assert Activity.objects.get(pk=call.pk).subject == "Catch-up"


def test_a_delete_moves_the_activity_to_the_recycle_bin(rep):
    call = make_activity(rep, account=make_account(rep))
    activity_delete(acting_user=rep, activity=call)
    assert not Activity.objects.filter(pk=call.pk).exists()
    assert Activity.all_objects.get(pk=call.pk).deleted_by == rep
    assert AuditEntry.objects.get(object_id=call.pk, record_type="activity").action == "delete"


def test_a_role_that_may_not_delete_is_refused(make_user, rep):
    marketer = make_user(role="marketing")
    note = make_activity(marketer, kind="note", account=make_account(rep))
    with pytest.raises(PermissionDenied):
        activity_delete(acting_user=marketer, activity=note)
    assert Activity.objects.filter(pk=note.pk).exists()
