"""`rapport banner` prints where Rapport is served and the demo logins when they exist."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from rapport.demo.builder import demo_build


@pytest.fixture(autouse=True)
def _no_port_from_the_shell(monkeypatch):
    monkeypatch.delenv("RAPPORT_PORT", raising=False)


def _banner() -> str:
    out = StringIO()
    call_command("banner", stdout=out)
    return out.getvalue()


def test_it_prints_the_address_and_the_demo_logins(db, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    demo_build()

    text = _banner()

    assert "http://127.0.0.1:8000/" in text
    assert f"password: {settings.DEMO_PASSWORD}" in text
    for email in ("admin@demo.rapport.test", "manager@demo.rapport.test", "rep@demo.rapport.test"):
        assert email in text


def test_it_leaves_out_logins_that_do_not_exist(db, settings):
    settings.SITE_URL = "https://crm.example.com"

    text = _banner()

    assert "https://crm.example.com/" in text
    assert "demo.rapport.test" not in text
    assert "password" not in text


def test_it_uses_the_port_make_run_serves_on(db, settings, monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)
    monkeypatch.setenv("RAPPORT_PORT", "8765")

    assert "http://127.0.0.1:8765/" in _banner()
