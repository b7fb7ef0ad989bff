"""Everyone signed in reads picklists; only administrators change them, and a refusal changes
nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from rapport.access import services
from rapport.core.models import AuditEntry, PicklistValue

pytestmark = pytest.mark.django_db


@pytest.fixture
def rep_client(rep) -> APIClient:
    client = APIClient()
    new = services.api_token_create(acting_user=rep, user=rep, name="tests")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {new.secret}")
    return client


def _state() -> list[tuple[int, str, str, int, bool]]:
    return list(
        PicklistValue.objects.order_by("pk").values_list(
            "pk", "key", "label", "sort_order", "is_active"
        )
    )


def test_people_who_are_not_administrators_cannot_open_or_use_the_pages(client, rep, value_of):
    event = value_of("lead_source", "event")
    before = _state()
    client.force_login(rep)
    assert client.get(reverse("core:picklists")).status_code == 403
    assert client.get(reverse("core:picklist", args=["lead_source"])).status_code == 403
    assert (
        client.post(
            reverse("core:picklist", args=["lead_source"]), {"key": "x", "label": "X"}
        ).status_code
        == 403
    )
    for name in ("picklist-value-move", "picklist-value-retire", "picklist-value-reactivate"):
        assert (
            client.post(reverse(f"core:{name}", args=["lead_source", event.pk])).status_code == 403
        )
    edit = reverse("core:picklist-value-edit", args=["lead_source", event.pk])
    assert client.post(edit, {"key": "event", "label": "Changed"}).status_code == 403
    assert _state() == before
    assert not AuditEntry.objects.filter(record_type="picklist_value").exists()


def test_the_navigation_offers_picklists_to_administrators_only(client, admin_user, rep):
    client.force_login(admin_user)
    assert reverse("core:picklists").encode() in client.get(reverse("web:home")).content
    client.force_login(rep)
    assert reverse("core:picklists").encode() not in client.get(reverse("web:home")).content


def test_the_api_lets_everyone_signed_in_read(rep_client):
    assert rep_client.get("/api/v1/picklists/").status_code == 200
    assert rep_client.get("/api/v1/picklists/lead_source/").status_code == 200


def test_the_api_refuses_writes_by_people_who_are_not_administrators(rep_client, value_of):
    event = value_of("lead_source", "event")
    base = "/api/v1/picklists/lead_source/values/"
    before = _state()
    attempts = [
        rep_client.post(base, {"key": "x", "label": "X"}, format="json"),
        rep_client.patch(f"{base}{event.pk}/", {"label": "Changed"}, format="json"),
        rep_client.post(f"{base}{event.pk}/move/", {"direction": "up"}, format="json"),
        rep_client.post(f"{base}{event.pk}/retire/", {}, format="json"),
        rep_client.post(f"{base}{event.pk}/reactivate/"),
    ]
    assert [r.status_code for r in attempts] == [403] * 5
    assert _state() == before
    assert not AuditEntry.objects.filter(record_type="picklist_value").exists()


def test_the_api_needs_authentication(api_client):
    assert api_client.get("/api/v1/picklists/").status_code == 401
