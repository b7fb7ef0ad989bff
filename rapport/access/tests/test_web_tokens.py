"""Personal API tokens from the profile page: the secret is shown once; revoking is immediate."""

from __future__ import annotations

import re
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from rapport.access.models import ApiToken
from rapport.access.services import api_token_create


def _client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_creating_a_token_shows_its_secret_once(rep):
    client = _client_for(rep)
    response = client.post("/profile/tokens/", {"name": "ERP sync", "expires_on": ""})
    body = response.content.decode()
    secret = re.search(r'value="(rpt_[^"]+)"', body)
    assert response.status_code == 200
    assert secret is not None
    token = ApiToken.objects.get(user=rep)
    assert token.key_digest == ApiToken.digest(secret.group(1))
    assert secret.group(1) not in client.get("/profile/").content.decode()


def test_creating_a_token_with_htmx_returns_only_the_tokens_panel(rep):
    response = _client_for(rep).post(
        "/profile/tokens/", {"name": "Script"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<section class="card" id="tokens"')
    assert "rpt_" in body
    assert "<html" not in body


def test_an_expiry_in_the_past_is_refused_next_to_the_field(rep):
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = _client_for(rep).post("/profile/tokens/", {"name": "Old", "expires_on": yesterday})
    assert "Choose today or a later day." in response.content.decode()
    assert not ApiToken.objects.filter(user=rep).exists()


def test_a_chosen_expiry_ends_at_the_end_of_that_day(rep):
    day = timezone.localdate() + timedelta(days=30)
    _client_for(rep).post("/profile/tokens/", {"name": "Month", "expires_on": day.isoformat()})
    expires_at = timezone.localtime(ApiToken.objects.get(user=rep).expires_at)
    assert (expires_at.date(), expires_at.hour, expires_at.minute) == (day, 23, 59)


def test_revoking_with_htmx_returns_the_updated_row(rep):
    token = api_token_create(acting_user=rep, user=rep, name="CLI").token
    response = _client_for(rep).post(
        f"/profile/tokens/{token.pk}/revoke/", headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert body.strip().startswith(f'<tr id="token-{token.pk}">')
    assert "Revoked" in body
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_nobody_can_revoke_someone_elses_token(rep, admin_user):
    token = api_token_create(acting_user=admin_user, user=admin_user, name="Admin's").token
    response = _client_for(rep).post(f"/profile/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_token_list_shows_the_prefix_never_the_secret(rep):
    new = api_token_create(acting_user=rep, user=rep, name="Reporting")
    body = _client_for(rep).get("/profile/").content.decode()
    assert f"{new.token.key_prefix}…" in body
    assert new.secret not in body
