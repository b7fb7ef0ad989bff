"""Personal API tokens through the API: list own, create (secret once), revoke."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from rapport.access.models import ApiToken
from rapport.access.services import api_token_create

pytestmark = pytest.mark.django_db


def test_creating_a_token_shows_the_secret_once_and_stores_only_its_digest(api_client, rep):
    api_client.force_authenticate(rep)
    response = api_client.post("/api/v1/tokens/", {"name": "ERP sync"}, format="json")
    assert response.status_code == 201
    body = response.json()
    token = ApiToken.objects.get(pk=body["id"])
    assert body["secret"].startswith("rpt_")
    assert token.key_digest == ApiToken.digest(body["secret"])
    assert "key_digest" not in body
    again = api_client.get(f"/api/v1/tokens/{token.pk}/").json()
    assert "secret" not in again
    assert "key_digest" not in again
    assert again["status"] == "active"


def test_a_token_expiring_in_the_past_is_refused(api_client, rep):
    api_client.force_authenticate(rep)
    yesterday = (timezone.now() - timedelta(days=1)).isoformat()
    response = api_client.post(
        "/api/v1/tokens/", {"name": "old", "expires_at": yesterday}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["expires_at"]
    assert not ApiToken.objects.exists()


def test_people_list_only_their_own_tokens(api_client, rep, admin_user):
    api_token_create(acting_user=admin_user, user=admin_user, name="admin's")
    mine = api_token_create(acting_user=rep, user=rep, name="mine")
    api_client.force_authenticate(rep)
    rows = api_client.get("/api/v1/tokens/").json()["results"]
    assert [row["id"] for row in rows] == [mine.token.pk]


def test_someone_elses_token_is_not_found_and_stays_usable(api_client, rep, admin_user):
    theirs = api_token_create(acting_user=admin_user, user=admin_user, name="admin's")
    api_client.force_authenticate(rep)
    response = api_client.delete(f"/api/v1/tokens/{theirs.token.pk}/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    theirs.token.refresh_from_db()
    assert theirs.token.revoked_at is None


def test_delete_revokes_a_token_at_once(api_client, rep):
    new = api_token_create(acting_user=rep, user=rep, name="script")
    api_client.force_authenticate(rep)
    assert api_client.delete(f"/api/v1/tokens/{new.token.pk}/").status_code == 204
    new.token.refresh_from_db()
    assert new.token.revoked_at is not None
    api_client.force_authenticate(None)
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {new.secret}")
    assert api_client.get("/api/v1/users/me/").status_code == 401


def test_post_revoke_answers_the_revoked_token(api_client, rep):
    new = api_token_create(acting_user=rep, user=rep, name="script")
    api_client.force_authenticate(rep)
    response = api_client.post(f"/api/v1/tokens/{new.token.pk}/revoke/")
    assert response.status_code == 200
    assert response.json()["status"] == "revoked"


def test_tokens_filter_by_status(api_client, rep):
    keep = api_token_create(acting_user=rep, user=rep, name="keep")
    gone = api_token_create(acting_user=rep, user=rep, name="gone")
    gone.token.revoked_at = timezone.now()
    gone.token.save()
    api_client.force_authenticate(rep)
    assert [r["id"] for r in api_client.get("/api/v1/tokens/?status=active").json()["results"]] == [
        keep.token.pk
    ]
    assert [
        r["id"] for r in api_client.get("/api/v1/tokens/?status=revoked").json()["results"]
    ] == [gone.token.pk]


def test_read_only_people_can_manage_their_own_tokens(api_client, make_user):
    api_client.force_authenticate(make_user(role="read_only"))
    assert (
        api_client.post("/api/v1/tokens/", {"name": "reporting"}, format="json").status_code == 201
    )
