"""Signing out ends the session on the server, not only in the browser."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from rapport.access.models import UserSession


def _sign_in(client, user):
    client.post(
        reverse("access:login"), {"username": user.email, "password": "correct-horse-battery"}
    )
    return client.session.session_key


def test_signing_out_deletes_the_session_on_the_server(client, rep):
    key = _sign_in(client, rep)

    response = client.post(reverse("access:logout"))

    assert response.status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    assert not UserSession.objects.filter(session_key=key).exists()


def test_a_copied_session_cookie_is_useless_after_signing_out(client, rep):
    key = _sign_in(client, rep)
    copy = Client()
    copy.cookies[settings.SESSION_COOKIE_NAME] = key

    client.post(reverse("access:logout"))

    assert SESSION_KEY not in copy.session


def test_signing_out_needs_a_post_so_a_link_cannot_sign_people_out(client, rep):
    key = _sign_in(client, rep)

    response = client.get(reverse("access:logout"))

    assert response.status_code == 405
    assert Session.objects.filter(session_key=key).exists()
