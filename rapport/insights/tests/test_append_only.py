"""Usage events are written once and never changed."""

from __future__ import annotations

import pytest
from django.utils import timezone

from rapport.access.models import User
from rapport.insights.models import AppendOnlyError, UsageEvent
from rapport.insights.services import session_hash, usage_record


def test_a_saved_event_cannot_be_saved_again(rep):
    usage_record(kind=UsageEvent.Kind.PAGE_VIEW, user=rep)
    event = UsageEvent.objects.get()
    event.area = "admin"

    with pytest.raises(AppendOnlyError):
        event.save()

    assert UsageEvent.objects.get(pk=event.pk).area == ""


def test_events_cannot_be_updated_in_bulk(rep):
    usage_record(kind=UsageEvent.Kind.PAGE_VIEW, user=rep)

    with pytest.raises(AppendOnlyError):
        UsageEvent.objects.update(area="admin")

    assert list(UsageEvent.objects.values_list("area", flat=True)) == [""]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_event_written_outside_a_transaction_is_committed_with_every_field():
    # Outside a transaction PostgreSQL takes the asynchronous-commit INSERT; same row either way.
    # No role: an earlier transactional test may have flushed the roles the migrations made.
    rep = User.objects.create_user(
        email="rep@example.com", password=None, first_name="Rita", last_name="Rep"
    )
    at = timezone.now().replace(microsecond=0)
    usage_record(
        kind=UsageEvent.Kind.API_CALL,
        user=rep,
        session_key="key",
        method="PATCH",
        status_code=204,
        duration_ms=None,
        at=at,
    )
    usage_record(kind=UsageEvent.Kind.LOGIN_FAILED, user=None, attempted_email="x@example.com")

    api_call, failure = UsageEvent.objects.order_by("id")
    assert (api_call.user, api_call.at, api_call.method, api_call.status_code) == (
        rep,
        at,
        "PATCH",
        204,
    )
    assert (api_call.duration_ms, api_call.session_hash) == (None, session_hash("key"))
    assert (failure.user, failure.attempted_email, failure.status_code) == (
        None,
        "x@example.com",
        None,
    )
