"""The field glossary: seeded definitions, fill rates, field security, edits and form help."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport.access.models import FieldPermission
from rapport.customers.models import Account, Contact
from rapport.quality.cleaning.models import FieldDefinition

pytestmark = pytest.mark.django_db


def test_the_important_fields_are_defined_by_the_migration(db):
    amount = FieldDefinition.objects.get(record_type="opportunity", field_name="amount")
    assert "total value of the deal" in amount.definition
    for record_type, field_name in [
        ("opportunity", "forecast_close_date"),
        ("opportunity", "probability"),
        ("activity", "completed_at"),
        ("contact", "title_level"),
        ("lead", "last_touched_at"),
    ]:
        assert FieldDefinition.objects.filter(
            record_type=record_type, field_name=field_name
        ).exists()


def test_the_api_gives_each_fields_fill_rate_over_the_records_seen(token_client, admin_user):
    Contact.objects.create(last_name="A", email="a@acme.example", owner=admin_user)
    Contact.objects.create(last_name="B", owner=admin_user)
    entries = token_client.get("/api/v1/glossary/").json()
    by_key = {(e["record_type"], e["field_name"]): e for e in entries}
    assert by_key[("contact", "email")]["fill_rate"] == 0.5
    assert by_key[("contact", "last_name")]["fill_rate"] == 1.0
    assert "C-level" in by_key[("contact", "title_level")]["allowed_values"]


def test_a_hidden_field_is_left_out_of_the_glossary(client, make_user, admin_user):
    rep = make_user(role="sales_rep")
    FieldPermission.objects.create(
        role=rep.role, record_type="account", field_name="annual_revenue", access="hidden"
    )
    client.force_login(rep)
    page = client.get("/cleaning/glossary/").content.decode()
    assert "account-annual_revenue" not in page
    assert "account-name" in page


def test_the_glossary_query_count_does_not_grow_with_records(client, admin_user):
    client.force_login(admin_user)
    Account.objects.create(name="One", owner=admin_user)
    client.get("/cleaning/glossary/")
    with CaptureQueriesContext(connection) as few:
        client.get("/cleaning/glossary/")
    for n in range(20):
        Account.objects.create(name=f"Acme {n}", owner=admin_user)
    with CaptureQueriesContext(connection) as many:
        client.get("/cleaning/glossary/")
    assert len(many) == len(few)


def test_search_narrows_the_glossary(client, admin_user):
    client.force_login(admin_user)
    page = client.get("/cleaning/glossary/?q=forecast").content.decode()
    assert "opportunity-forecast_close_date" in page
    assert "contact-email" not in page


def test_a_steward_edits_a_definition_and_forms_show_it(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        "/cleaning/glossary/account/website/edit/",
        {
            "definition": "The <main> site, e.g. acme.com",
            "allowed_values": "A URL",
            "owner": admin_user.pk,
        },
    )
    assert response.status_code == 302
    assert (
        FieldDefinition.objects.get(record_type="account", field_name="website").owner == admin_user
    )
    form = client.get("/accounts/new/").content.decode()
    assert "The &lt;main&gt; site, e.g. acme.com" in form


def test_a_rep_cannot_edit_the_glossary(client, api_client, rep):
    client.force_login(rep)
    assert (
        client.post("/cleaning/glossary/account/city/edit/", {"definition": "x"}).status_code == 403
    )
    api_client.force_authenticate(rep)
    response = api_client.post(
        "/api/v1/glossary/",
        {"record_type": "account", "field_name": "city", "definition": "x"},
        format="json",
    )
    assert response.status_code == 403
    assert not FieldDefinition.objects.filter(record_type="account", field_name="city").exists()
