"""The periodic purge deletes dead sessions and old login records, and nothing alive."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from rapport.access.models import UserSession
from rapport.access.services import session_purge
from rapport.access.tasks import purge_sessions
from rapport.core.scheduling import periodic_jobs


def _session(user, *, signed_in_ago, seen_ago, expires_in=timedelta(hours=1)):
    store = SessionStore()
    store.create()
    assert store.session_key is not None
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() + expires_in
    )
    now = timezone.now()
    UserSession.objects.create(
        user=user,
        session_key=store.session_key,
        created_at=now - signed_in_ago,
        last_seen_at=now - seen_ago,
    )
    return store.session_key


def _login_record(model, *, age, username="rep@example.com"):
    record = model.objects.create(
        username=username,
        ip_address="203.0.113.7",
        user_agent="test",
        **({"failures_since_start": 1} if model is AccessAttempt else {}),
    )
    model.objects.filter(pk=record.pk).update(attempt_time=timezone.now() - age)


def _alive(key):
    return Session.objects.filter(session_key=key).exists()


def test_it_keeps_a_session_in_use(rep):
    key = _session(rep, signed_in_ago=timedelta(hours=1), seen_ago=timedelta(minutes=5))

    session_purge()

    assert _alive(key)
    assert UserSession.objects.filter(session_key=key).exists()


def test_it_deletes_sessions_past_their_stored_expiry(rep):
    key = _session(
        rep, signed_in_ago=timedelta(minutes=10), seen_ago=timedelta(0), expires_in=-timedelta(1)
    )

    result = session_purge()

    assert not _alive(key)
    assert not UserSession.objects.filter(session_key=key).exists()
    assert result.sessions == 1


def test_it_deletes_sessions_idle_past_the_idle_timeout(rep, settings):
    key = _session(
        rep,
        signed_in_ago=timedelta(hours=2),
        seen_ago=settings.SESSION_IDLE_TIMEOUT + timedelta(minutes=5),
    )

    session_purge()

    assert not _alive(key)
    assert not UserSession.objects.filter(session_key=key).exists()


def test_it_deletes_sessions_older_than_the_absolute_timeout(rep, settings):
    key = _session(
        rep,
        signed_in_ago=settings.SESSION_ABSOLUTE_TIMEOUT + timedelta(minutes=1),
        seen_ago=timedelta(minutes=1),
    )

    session_purge()

    assert not _alive(key)


def test_it_drops_the_record_of_a_session_that_no_longer_exists(rep):
    UserSession.objects.create(user=rep, session_key="gone-gone-gone")

    result = session_purge()

    assert not UserSession.objects.filter(session_key="gone-gone-gone").exists()
    assert result.tracked_sessions == 1


def test_it_deletes_login_records_older_than_the_retention_and_keeps_newer(db, settings):
    old = timedelta(days=settings.RAPPORT_LOGIN_RECORDS_DAYS + 1)
    recent = timedelta(days=1)
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        _login_record(model, age=old, username="old@example.com")
        _login_record(model, age=recent, username="new@example.com")

    result = session_purge()

    assert result.login_records == 3
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        assert list(model.objects.values_list("username", flat=True)) == ["new@example.com"]


def test_the_task_runs_the_purge_and_reports_what_it_removed(rep, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    key = _session(rep, signed_in_ago=timedelta(days=2), seen_ago=timedelta(days=2))

    result = purge_sessions.enqueue()

    assert result.return_value == {"sessions": 1, "tracked_sessions": 1, "login_records": 0}
    assert not _alive(key)


def test_the_scheduler_runs_the_purge_every_hour():
    jobs = {job.name: job for job in periodic_jobs()}

    job = jobs["rapport.access.tasks.purge_sessions"]
    first = job.next_fire_time(datetime(2026, 1, 5, 10, 0, tzinfo=UTC))
    assert first is not None
    second = job.next_fire_time(first + timedelta(seconds=1))
    assert [first, second] == [
        datetime(2026, 1, 5, 10, 41, tzinfo=UTC),
        datetime(2026, 1, 5, 11, 41, tzinfo=UTC),
    ]
