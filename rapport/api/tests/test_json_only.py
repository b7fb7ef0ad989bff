"""The API answers JSON even to a browser, so no page of it needs styles the CSP forbids."""

from __future__ import annotations

from django.test import Client


def test_a_browser_asking_for_html_gets_json(admin_user):
    client = Client()
    client.force_login(admin_user)

    response = client.get(
        "/api/v1/users/",
        HTTP_ACCEPT="text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["results"]
