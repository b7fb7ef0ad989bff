"""The API accepts personal tokens and browser sessions; session writes need the CSRF token."""

from __future__ import annotations

import pytest
from django.utils.crypto import get_random_string
from rest_framework.test import APIClient

from rapport.access.models import Team
from rapport.access.services import api_token_create, api_token_revoke

pytestmark = pytest.mark.django_db


def test_a_bearer_token_authenticates(api_client, rep):
    new = api_token_create(acting_user=rep, user=rep, name="script")
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {new.secret}")
    assert api_client.get("/api/v1/users/me/").json()["email"] == rep.email


def test_a_revoked_token_is_refused_with_the_error_body(api_client, rep):
    new = api_token_create(acting_user=rep, user=rep, name="script")
    api_token_revoke(acting_user=rep, token=new.token)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {new.secret}")
    response = api_client.get("/api/v1/users/me/")
    assert response.status_code == 401
    assert response.json()["error"] == {
        "code": "authentication_failed",
        "message": "The token is unknown, revoked or expired.",
        "fields": {},
    }


def test_a_browser_session_authenticates_reads(admin_user):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(admin_user)
    assert client.get("/api/v1/users/me/").status_code == 200


def test_a_session_write_without_the_csrf_token_is_refused(admin_user):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(admin_user)
    response = client.post("/api/v1/teams/", {"name": "No CSRF"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["error"]["message"]
    assert not Team.objects.filter(name="No CSRF").exists()


def test_a_session_write_with_the_csrf_token_goes_through(admin_user):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(admin_user)
    token = get_random_string(32)  # what the CSRF cookie holds; the page's JS sends it back
    client.cookies["csrftoken"] = token
    response = client.post(
        "/api/v1/teams/", {"name": "With CSRF"}, format="json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 201, response.json()


def test_token_writes_need_no_csrf_token(token_client):
    token_client.handler.enforce_csrf_checks = True
    assert (
        token_client.post("/api/v1/teams/", {"name": "Scripted"}, format="json").status_code == 201
    )
