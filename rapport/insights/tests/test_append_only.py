"""Usage events are written once and never changed."""

from __future__ import annotations

import pytest

from rapport.insights.models import AppendOnlyError, UsageEvent
from rapport.insights.services import usage_record


def test_a_saved_event_cannot_be_saved_again(rep):
    event = usage_record(kind=UsageEvent.Kind.PAGE_VIEW, user=rep)
    event.area = "admin"

    with pytest.raises(AppendOnlyError):
        event.save()

    assert UsageEvent.objects.get(pk=event.pk).area == ""


def test_events_cannot_be_updated_in_bulk(rep):
    usage_record(kind=UsageEvent.Kind.PAGE_VIEW, user=rep)

    with pytest.raises(AppendOnlyError):
        UsageEvent.objects.update(area="admin")

    assert list(UsageEvent.objects.values_list("area", flat=True)) == [""]
