"""Signing in gives the browser a new session key; the pre-login key is dead afterwards."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from rapport.access.models import UserSession


def _anonymous_session_key(client):
    session = client.session
    session["visited"] = "pricing"
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return session.session_key


def _sign_in(client, user):
    response = client.post(
        reverse("access:login"), {"username": user.email, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_signing_in_changes_the_session_key(client, rep):
    before = _anonymous_session_key(client)

    after = _sign_in(client, rep)

    assert after != before
    assert client.session[SESSION_KEY] == str(rep.pk)


def test_the_pre_login_session_key_no_longer_exists_on_the_server(client, rep):
    before = _anonymous_session_key(client)

    _sign_in(client, rep)

    assert not Session.objects.filter(session_key=before).exists()


def test_a_planted_pre_login_key_does_not_sign_in_its_planter(client, rep):
    # Session fixation: an attacker who knows the victim's pre-login key must gain nothing.
    before = _anonymous_session_key(client)
    _sign_in(client, rep)
    attacker = Client()
    attacker.cookies[settings.SESSION_COOKIE_NAME] = before

    session = attacker.session

    assert SESSION_KEY not in session
    assert "visited" not in session


def test_the_new_session_is_tracked_so_it_can_be_ended_later(client, rep):
    key = _sign_in(client, rep)

    tracked = UserSession.objects.get(user=rep)

    assert tracked.session_key == key
    assert tracked.ip_address == "127.0.0.1"
