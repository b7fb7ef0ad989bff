"""Record creates and updates per person and day come from the audit trail, not a second log."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.utils import timezone

from rapport.core.models import AuditEntry
from rapport.insights.models import UsageEvent
from rapport.insights.selectors import record_changes_per_user_day


def _entry(action, actor, object_id=1):
    AuditEntry.objects.create(
        record_type="team", object_id=object_id, object_repr="Team", action=action, actor=actor
    )


def test_creates_and_updates_are_counted_per_person_and_day(rep, admin_user):
    start = timezone.now().replace(hour=10, minute=0, second=0, microsecond=0)
    with time_machine.travel(start, tick=False) as clock:
        _entry(AuditEntry.Action.CREATE, rep)
        _entry(AuditEntry.Action.UPDATE, rep)
        _entry(AuditEntry.Action.DELETE, rep)  # not a create or update
        _entry(AuditEntry.Action.UPDATE, None)  # the system, nobody's usage
        _entry(AuditEntry.Action.UPDATE, admin_user)
        clock.shift(timedelta(days=1))
        _entry(AuditEntry.Action.UPDATE, rep)

    counts = record_changes_per_user_day(start - timedelta(days=1), start + timedelta(days=2))

    today, tomorrow = start.date(), (start + timedelta(days=1)).date()
    assert {key: n for key, n in counts.items() if key[0] in {rep.pk, admin_user.pk}} == {
        (rep.pk, today): 2,
        (rep.pk, tomorrow): 1,
        (admin_user.pk, today): 1,
    }
    # Usage capture writes no events of its own for record changes.
    assert not UsageEvent.objects.exists()
