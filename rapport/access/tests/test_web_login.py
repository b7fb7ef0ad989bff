"""The sign-in page, and the page shown when sign-in is paused after repeated failures."""

from __future__ import annotations

import pytest
from django.test import Client

from rapport.access.models import UserSession


@pytest.mark.django_db
def test_the_sign_in_page_has_labelled_fields_and_a_csrf_token():
    response = Client(enforce_csrf_checks=True).get("/login/")
    body = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_username">E-mail</label>' in body
    assert '<label for="id_password">Password</label>' in body
    assert "csrfmiddlewaretoken" in body


def test_signing_in_records_the_session_and_lands_on_my_day(rep):
    client = Client()
    response = client.post("/login/", {"username": rep.email, "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert UserSession.objects.filter(user=rep, session_key=client.session.session_key).exists()


def test_a_wrong_password_says_so_without_saying_which_part_was_wrong(rep):
    response = Client().post("/login/", {"username": rep.email, "password": "nope"})
    assert response.status_code == 200
    assert "do not match an active account" in response.content.decode()


def test_the_locked_out_page_says_in_plain_words_when_to_try_again(rep, settings):
    settings.AXES_FAILURE_LIMIT = 2
    client = Client()
    for _ in range(2):
        client.post("/login/", {"username": rep.email, "password": "wrong"})
    response = client.post("/login/", {"username": rep.email, "password": "correct-horse-battery"})
    body = response.content.decode()
    assert response.status_code == 429
    assert "Sign-in paused" in body
    assert "try again in <strong>15 minutes</strong>" in body


def test_signing_out_needs_a_post(rep):
    client = Client()
    client.post("/login/", {"username": rep.email, "password": "correct-horse-battery"})
    assert client.get("/logout/").status_code == 405
    assert client.get("/").status_code == 200
