"""Browsers asking for /favicon.ico get Rapport's icon, not a 404."""

from __future__ import annotations

from django.test import Client


def test_favicon_ico_redirects_to_the_static_icon():
    response = Client().get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"].endswith("rapport/favicon.svg")
