"""Repeated failed logins lock a user name out from an address (django-axes on our LoginView)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import timezone

PASSWORD = "correct-horse-battery"
ADDRESS = "203.0.113.7"


@pytest.fixture
def login(client):
    def attempt(username, password, address=ADDRESS):
        return client.post(
            reverse("access:login"),
            {"username": username, "password": password},
            REMOTE_ADDR=address,
        )

    return attempt


def _fail(login, username, times):
    for _ in range(times):
        response = login(username, "wrong-password")
        assert response.status_code == 200


def test_a_wrong_password_shows_the_form_again_without_signing_in(login, rep, client):
    response = login(rep.email, "wrong-password")

    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert AccessAttempt.objects.get(username=rep.email).failures_since_start == 1


def test_it_locks_out_after_the_limit_even_with_the_correct_password(login, rep, client, settings):
    _fail(login, rep.email, settings.AXES_FAILURE_LIMIT - 1)
    assert login(rep.email, "wrong-password").status_code == 429

    response = login(rep.email, PASSWORD)

    assert response.status_code == 429
    assert "access/locked_out.html" in [t.name for t in response.templates]
    assert SESSION_KEY not in client.session


def test_it_lets_the_person_in_again_after_the_cool_off(login, rep, client, settings):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        _fail(login, rep.email, settings.AXES_FAILURE_LIMIT - 1)
        assert login(rep.email, "wrong-password").status_code == 429

        clock.shift(settings.AXES_COOLOFF_TIME + timedelta(seconds=1))
        response = login(rep.email, PASSWORD)

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(rep.pk)


def test_a_successful_login_resets_the_failure_count(login, rep, client, settings):
    _fail(login, rep.email, settings.AXES_FAILURE_LIMIT - 1)
    assert login(rep.email, PASSWORD).status_code == 302
    client.post(reverse("access:logout"))

    _fail(login, rep.email, settings.AXES_FAILURE_LIMIT - 1)

    assert login(rep.email, PASSWORD).status_code == 302


def test_changing_the_case_of_the_email_does_not_buy_more_guesses(login, rep, settings):
    variants = [rep.email.upper(), rep.email.title(), rep.email]
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(variants[n % len(variants)], "wrong-password").status_code == 200

    assert login(rep.email.upper(), "wrong-password").status_code == 429
    assert login(rep.email, PASSWORD).status_code == 429


def test_the_lockout_is_per_address_so_the_person_can_still_sign_in_elsewhere(login, rep, settings):
    _fail(login, rep.email, settings.AXES_FAILURE_LIMIT - 1)
    assert login(rep.email, "wrong-password").status_code == 429

    assert login(rep.email, PASSWORD, address="198.51.100.20").status_code == 302


def test_a_forged_forwarded_for_header_does_not_escape_the_lockout(client, rep, settings):
    settings.RAPPORT_TRUSTED_PROXIES = 0
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("access:login"),
            {"username": rep.email, "password": "wrong-password"},
            REMOTE_ADDR=ADDRESS,
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )

    response = client.post(
        reverse("access:login"),
        {"username": rep.email, "password": PASSWORD},
        REMOTE_ADDR=ADDRESS,
        HTTP_X_FORWARDED_FOR="198.51.100.200",
    )

    assert response.status_code == 429


def test_behind_a_trusted_proxy_the_lockout_is_per_real_client(client, rep, settings):
    settings.RAPPORT_TRUSTED_PROXIES = 1
    proxy = "10.0.0.2"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("access:login"),
            {"username": rep.email, "password": "wrong-password"},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )

    response = client.post(
        reverse("access:login"),
        {"username": rep.email, "password": PASSWORD},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="198.51.100.20",
    )

    assert response.status_code == 302
    assert AccessAttempt.objects.get(username=rep.email).ip_address == "203.0.113.7"
