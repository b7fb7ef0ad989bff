"""Usage events older than RAPPORT_USAGE_RETENTION_DAYS are purged every night."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from rapport.core.scheduling import periodic_jobs
from rapport.insights.models import UsageEvent
from rapport.insights.services import usage_purge, usage_record
from rapport.insights.tasks import purge_usage_events


def test_events_older_than_the_retention_are_deleted_and_younger_ones_kept(rep, settings):
    settings.RAPPORT_USAGE_RETENTION_DAYS = 30
    now = timezone.now()
    usage_record(kind=UsageEvent.Kind.PAGE_VIEW, user=rep, at=now - timedelta(days=31))
    usage_record(kind=UsageEvent.Kind.HEARTBEAT, user=rep, at=now - timedelta(days=40))
    usage_record(kind=UsageEvent.Kind.PAGE_VIEW, user=rep, at=now - timedelta(days=29))

    assert usage_purge(now=now) == 2

    assert list(UsageEvent.objects.values_list("kind", "at")) == [
        (UsageEvent.Kind.PAGE_VIEW, now - timedelta(days=29))
    ]


def test_the_default_retention_is_two_years(rep, settings):
    assert settings.RAPPORT_USAGE_RETENTION_DAYS == 730
    now = timezone.now()
    usage_record(kind=UsageEvent.Kind.LOGIN, user=rep, at=now - timedelta(days=729))
    usage_record(kind=UsageEvent.Kind.LOGIN, user=rep, at=now - timedelta(days=731))

    assert purge_usage_events.call() == 1
    assert UsageEvent.objects.count() == 1


def test_the_purge_is_scheduled_every_night():
    jobs = {job.name: job for job in periodic_jobs()}

    assert jobs["rapport.insights.tasks.purge_usage_events"].schedule == "23 3 * * *"
