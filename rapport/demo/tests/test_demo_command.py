"""`rapport demo` loads into an empty database only, and its logins sign in on the login page."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from rapport.access.models import User


def test_it_loads_the_organisation_and_prints_the_logins(db):
    out = StringIO()

    call_command("demo", stdout=out)

    assert User.objects.count() == 40
    assert "4 offices, 6 teams, 40 people" in out.getvalue()
    assert "rep@demo.rapport.test" in out.getvalue()


def test_if_empty_leaves_an_organisation_with_people_alone(db, rep):
    out = StringIO()

    call_command("demo", "--if-empty", stdout=out)

    assert list(User.objects.all()) == [rep]
    assert "not loaded" in out.getvalue()


def test_without_if_empty_it_refuses_to_mix_with_real_people(db, rep):
    with pytest.raises(CommandError, match="empty database"):
        call_command("demo")

    assert list(User.objects.all()) == [rep]


def test_a_demo_login_signs_in_on_the_login_page(db, client, settings):
    call_command("demo", stdout=StringIO())

    response = client.post(
        reverse("access:login"),
        {"username": "manager@demo.rapport.test", "password": settings.DEMO_PASSWORD},
    )

    assert response.status_code == 302
    assert client.get(reverse("web:home")).context["user"].email == "manager@demo.rapport.test"
