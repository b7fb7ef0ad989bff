"""A merge closes the duplicate queue's pair as merged; its undo opens it again."""

from __future__ import annotations

import pytest

from rapport.quality.merge.services import merge_undo, records_merge
from rapport.quality.merge.tests import builders as b

dedupe = pytest.importorskip("rapport.quality.dedupe.models")
pytestmark = pytest.mark.django_db


def test_the_pair_is_merged_then_open_again(admin_user, rep):
    first, second = b.make_contact(rep), b.make_contact(rep)
    pair = dedupe.DuplicatePair.objects.create(
        record_type="contact",
        object_id=first.pk,
        other_type="contact",
        other_id=second.pk,
        score=0.93,
    )
    merge = records_merge(
        acting_user=admin_user, record_type="contact", survivor=second, others=[first]
    )
    pair.refresh_from_db()
    assert pair.status == "merged"
    assert pair.decided_by == admin_user

    merge_undo(acting_user=admin_user, merge=merge)
    pair.refresh_from_db()
    assert pair.status == "open"
    assert pair.decided_by is None
