"""Every state-changing form needs the CSRF token, the sign-in form included."""

from __future__ import annotations

import re

from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

PASSWORD = "correct-horse-battery"


def test_signing_in_without_the_csrf_token_is_refused(rep):
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("access:login"), {"username": rep.email, "password": PASSWORD})

    assert response.status_code == 403
    assert SESSION_KEY not in client.session


def test_signing_in_with_the_token_from_the_form_works(rep):
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("access:login")).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token is not None

    response = client.post(
        reverse("access:login"),
        {"username": rep.email, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
    )

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(rep.pk)


def test_signing_out_without_the_csrf_token_is_refused(rep):
    client = Client(enforce_csrf_checks=True)
    client.force_login(rep)

    response = client.post(reverse("access:logout"))

    assert response.status_code == 403
    assert client.session[SESSION_KEY] == str(rep.pk)
