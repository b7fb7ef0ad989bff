"""Sign-ins, failed sign-ins, sign-outs and session timeouts are usage events."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.test import Client
from django.utils import timezone

from rapport.insights.models import UsageEvent
from rapport.insights.services import session_hash


def test_a_successful_sign_in_is_recorded_with_its_session(rep):
    client = Client()
    client.post("/login/", {"username": rep.email, "password": "correct-horse-battery"})

    event = UsageEvent.objects.get(kind=UsageEvent.Kind.LOGIN)
    assert event.user == rep
    assert event.area == "login"
    assert event.session_hash == session_hash(client.session.session_key)
    assert event.session_hash != client.session.session_key


def test_a_failed_sign_in_is_recorded_with_the_person_and_the_typed_address(rep):
    Client().post("/login/", {"username": " Rep@Example.com ", "password": "wrong"})

    event = UsageEvent.objects.get(kind=UsageEvent.Kind.LOGIN_FAILED)
    assert event.user == rep
    assert event.attempted_email == "rep@example.com"
    assert not UsageEvent.objects.filter(kind=UsageEvent.Kind.LOGIN).exists()


def test_a_failed_sign_in_with_an_unknown_address_keeps_only_the_address(db):
    Client().post("/login/", {"username": "nobody@example.com", "password": "wrong"})

    event = UsageEvent.objects.get(kind=UsageEvent.Kind.LOGIN_FAILED)
    assert event.user is None
    assert event.attempted_email == "nobody@example.com"


def test_signing_out_is_recorded_for_the_session_that_ended(rep):
    client = Client()
    client.post("/login/", {"username": rep.email, "password": "correct-horse-battery"})
    key = client.session.session_key

    client.post("/logout/")

    event = UsageEvent.objects.get(kind=UsageEvent.Kind.LOGOUT)
    assert (event.user, event.session_hash) == (rep, session_hash(key))


def test_a_session_timeout_is_recorded(rep, settings):
    client = Client()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client.post("/login/", {"username": rep.email, "password": "correct-horse-battery"})
        key = client.session.session_key
        clock.shift(settings.SESSION_IDLE_TIMEOUT + timedelta(minutes=1))

        client.get("/")

    event = UsageEvent.objects.get(kind=UsageEvent.Kind.SESSION_TIMEOUT)
    assert (event.user, event.session_hash) == (rep, session_hash(key))
