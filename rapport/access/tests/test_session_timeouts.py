"""Sessions end after SESSION_IDLE_TIMEOUT without a request, or SESSION_ABSOLUTE_TIMEOUT in all."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.decorators import login_required
from django.contrib.messages import get_messages
from django.contrib.sessions.models import Session
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.utils import timezone

from rapport.access.models import UserSession


@login_required
def whoami(request: HttpRequest) -> HttpResponse:
    return HttpResponse(request.user.get_username())


# A tiny page of our own, so these tests do not depend on how the real pages render.
urlpatterns = [
    path("whoami/", whoami),
    path("", include("rapport.urls")),
]

pytestmark = pytest.mark.urls(__name__)


@pytest.fixture
def clock():
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller


@pytest.fixture
def signed_in(client, rep, clock):
    response = client.post("/login/", {"username": rep.email, "password": "correct-horse-battery"})
    assert response.status_code == 302
    return client


def _is_signed_in(client):
    response = client.get("/whoami/")
    return response.status_code == 200


def test_a_session_idle_longer_than_the_idle_timeout_is_signed_out(signed_in, clock, settings):
    key = signed_in.session.session_key
    clock.shift(settings.SESSION_IDLE_TIMEOUT + timedelta(seconds=1))

    response = signed_in.get("/whoami/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    assert not Session.objects.filter(session_key=key).exists()
    assert not UserSession.objects.filter(session_key=key).exists()


def test_the_person_is_told_why_they_were_signed_out(signed_in, clock, settings):
    clock.shift(settings.SESSION_IDLE_TIMEOUT + timedelta(seconds=1))

    response = signed_in.get("/whoami/")

    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Your session timed out. Please sign in again."
    ]


def test_a_session_in_use_stays_open_past_the_idle_timeout(signed_in, clock, settings):
    step = settings.SESSION_IDLE_TIMEOUT / 2
    for _ in range(5):
        clock.shift(step)
        assert _is_signed_in(signed_in)


def test_a_session_in_use_ends_at_the_absolute_timeout(signed_in, clock, settings):
    step = settings.SESSION_IDLE_TIMEOUT / 2
    elapsed = timedelta(0)
    while elapsed + step < settings.SESSION_ABSOLUTE_TIMEOUT:
        clock.shift(step)
        elapsed += step
        assert _is_signed_in(signed_in)

    clock.shift(step + timedelta(seconds=1))

    assert not _is_signed_in(signed_in)


def test_an_htmx_request_on_a_timed_out_session_reloads_the_whole_page(signed_in, clock, settings):
    clock.shift(settings.SESSION_IDLE_TIMEOUT + timedelta(seconds=1))

    response = signed_in.get("/whoami/", headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response["HX-Redirect"] == "/login/?next=/whoami/"


def test_a_session_signed_in_another_way_gets_the_same_timeouts(client, rep, clock, settings):
    client.force_login(rep)
    assert _is_signed_in(client)
    assert UserSession.objects.filter(user=rep).count() == 1

    clock.shift(settings.SESSION_IDLE_TIMEOUT + timedelta(seconds=1))

    assert not _is_signed_in(client)


def test_activity_is_recorded_at_most_once_a_minute(signed_in, clock, rep):
    signed_in_at = UserSession.objects.get(user=rep).last_seen_at
    clock.shift(timedelta(seconds=30))
    assert _is_signed_in(signed_in)
    assert UserSession.objects.get(user=rep).last_seen_at == signed_in_at

    clock.shift(timedelta(seconds=45))
    assert _is_signed_in(signed_in)

    assert UserSession.objects.get(user=rep).last_seen_at == signed_in_at + timedelta(seconds=75)
