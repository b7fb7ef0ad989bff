"""Contacts through the API: picklists by key, clear errors, hidden fields, recycle bin."""

from __future__ import annotations

import pytest

from rapport.access import permissions
from rapport.access.models import FieldPermission
from rapport.core.models import AuditEntry
from rapport.customers.models import Account, Contact

pytestmark = pytest.mark.django_db


def test_a_contact_is_created_with_a_title_level_by_key(token_client, admin_user):
    account = Account.objects.create(name="Acme", owner=admin_user)
    response = token_client.post(
        "/api/v1/contacts/",
        {
            "first_name": "Ada",
            "last_name": "Lovelace",
            "account": account.pk,
            "title_level": "c_level",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["title_level"] == "c_level"
    assert body["title_level_label"] == "C-level"
    assert body["owner"] == admin_user.pk
    assert AuditEntry.objects.filter(record_type="contact", object_id=body["id"]).exists()


def test_an_unknown_title_level_is_refused_naming_the_field(token_client):
    response = token_client.post(
        "/api/v1/contacts/", {"last_name": "X", "title_level": "emperor"}, format="json"
    )
    assert response.status_code == 400
    assert "emperor" in response.json()["error"]["fields"]["title_level"][0]
    assert not Contact.all_objects.exists()


def test_a_hidden_field_is_left_out_and_cannot_be_written(api_client, make_user, admin_user):
    rep = make_user(role="sales_rep")
    FieldPermission.objects.create(
        role=rep.role, record_type="contact", field_name="email", access="hidden"
    )
    contact = Contact.objects.create(last_name="Secret", email="s@example.com", owner=rep)
    api_client.force_authenticate(rep)
    body = api_client.get(f"/api/v1/contacts/{contact.pk}/").json()
    assert "email" not in body
    refused = api_client.patch(
        f"/api/v1/contacts/{contact.pk}/", {"email": "new@example.com"}, format="json"
    )
    assert refused.status_code == 400
    assert Contact.objects.get(pk=contact.pk).email == "s@example.com"
    permissions.forget(rep)


def test_delete_moves_the_contact_to_the_recycle_bin(token_client, admin_user):
    contact = Contact.objects.create(last_name="Gone", owner=admin_user)
    assert token_client.delete(f"/api/v1/contacts/{contact.pk}/").status_code == 204
    assert not Contact.objects.filter(pk=contact.pk).exists()
    assert Contact.all_objects.get(pk=contact.pk).deleted_by == admin_user


def test_the_contact_list_api_runs_the_same_queries_for_2_or_20_rows(token_client, admin_user):
    account = Account.objects.create(name="Acme", owner=admin_user)

    def make(n):
        Contact.objects.bulk_create(
            Contact(last_name=f"P{i}", account=account, owner=admin_user) for i in range(n)
        )

    make(2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    token_client.get("/api/v1/contacts/")  # warm: the first request reads more
    with CaptureQueriesContext(connection) as few:
        assert token_client.get("/api/v1/contacts/").status_code == 200
    make(18)
    with CaptureQueriesContext(connection) as many:
        assert token_client.get("/api/v1/contacts/").status_code == 200
    assert len(many) == len(few)


def test_a_picklist_key_that_is_no_slug_is_refused_before_the_database(token_client):
    response = token_client.post(
        "/api/v1/contacts/", {"last_name": "X", "title_level": "vp\x00"}, format="json"
    )
    assert response.status_code == 400
    assert "title_level" in response.json()["error"]["fields"]
    assert not Contact.all_objects.exists()
