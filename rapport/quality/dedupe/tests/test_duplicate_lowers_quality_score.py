"""A record in an open pair of the review queue scores lower, with the reason named."""

from __future__ import annotations

import pytest

from rapport.customers.models import Contact
from rapport.quality.dedupe.models import DuplicatePair
from rapport.quality.scores.scoring import score_record

pytestmark = pytest.mark.django_db


def test_an_open_pair_is_an_issue_and_a_decided_one_is_not(admin_user):
    a = Contact.objects.create(first_name="Ada", last_name="Lovelace", owner=admin_user)
    b = Contact.objects.create(first_name="Ada", last_name="Lovelace", owner=admin_user)
    pair = DuplicatePair.objects.create(
        record_type="contact", object_id=a.pk, other_type="contact", other_id=b.pk, score=0.9
    )

    def issues() -> list[str]:
        scored = score_record("contact", a.pk)
        assert scored is not None
        return [issue.reason for issue in scored.issues]

    assert any("duplicate" in reason for reason in issues())
    pair.status = DuplicatePair.Status.NOT_DUPLICATE
    pair.save()
    assert not any("duplicate" in reason for reason in issues())
