"""`rapport createsuperuser --noinput` works from Django's DJANGO_SUPERUSER_* variables."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from rapport.access.models import User


@pytest.fixture
def superuser_env(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "Owner@Example.com")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-owner-passphrase")
    monkeypatch.setenv("DJANGO_SUPERUSER_FIRST_NAME", "Olive")
    monkeypatch.setenv("DJANGO_SUPERUSER_LAST_NAME", "Owner")


def test_it_creates_an_administrator_from_the_environment(db, superuser_env):
    call_command("createsuperuser", "--noinput", stdout=io.StringIO())

    user = User.objects.get(email="owner@example.com")
    assert (user.first_name, user.last_name) == ("Olive", "Owner")
    assert user.is_superuser
    assert user.role is not None
    assert user.role.key == "administrator"
    assert user.is_administrator
    assert user.check_password("a-long-owner-passphrase")


def test_it_refuses_without_the_required_names(db, superuser_env, monkeypatch):
    monkeypatch.delenv("DJANGO_SUPERUSER_LAST_NAME")

    with pytest.raises(CommandError, match="last_name"):
        call_command("createsuperuser", "--noinput", stdout=io.StringIO())

    assert not User.objects.exists()
