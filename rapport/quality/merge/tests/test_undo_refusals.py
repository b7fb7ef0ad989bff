"""An undo refuses, saying why, once a merged record was purged or a moved row deleted."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from rapport.activities.models import Activity
from rapport.core.models import AuditEntry
from rapport.customers.models import Contact
from rapport.quality.merge.services import merge_undo, records_merge
from rapport.quality.merge.tests import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture
def merge(admin_user, rep):
    first = b.make_contact(rep, last_name="Kept")
    second = b.make_contact(rep, last_name="Gone")
    b.make_activity(rep, contact=second)
    return records_merge(
        acting_user=admin_user, record_type="contact", survivor=first, others=[second]
    )


def test_a_purged_record_makes_the_merge_final(admin_user, merge):
    Activity.objects.filter(contact_id=merge.survivor_id).update(contact=None)
    Contact.all_objects.filter(pk=merge.other_ids[0]).delete()
    with pytest.raises(ValidationError, match="purged"):
        merge_undo(acting_user=admin_user, merge=merge)
    merge.refresh_from_db()
    assert merge.undone_at is None


def test_a_deleted_moved_row_makes_the_merge_final(admin_user, merge):
    Activity.objects.filter(contact_id=merge.survivor_id).delete()
    with pytest.raises(ValidationError, match="deleted since"):
        merge_undo(acting_user=admin_user, merge=merge)
    assert not Contact.objects.filter(pk=merge.other_ids[0]).exists()


def test_an_undo_happens_once_and_is_in_the_history(admin_user, merge):
    merge_undo(acting_user=admin_user, merge=merge)
    with pytest.raises(ValidationError, match="already undone"):
        merge_undo(acting_user=admin_user, merge=merge)
    assert AuditEntry.objects.filter(
        record_type="contact", object_id=merge.survivor_id, changes__has_key="merge_undone"
    ).exists()
    assert AuditEntry.objects.filter(
        record_type="contact", object_id=merge.other_ids[0], action=AuditEntry.Action.RESTORE
    ).exists()


def test_a_rep_who_may_not_delete_cannot_undo(rep, merge):
    with pytest.raises(Exception, match="may not"):
        merge_undo(acting_user=rep, merge=merge)
    merge.refresh_from_db()
    assert merge.undone_at is None
