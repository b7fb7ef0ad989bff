"""Every write (page form, API, service) stores normalised values; invalid ones are refused."""

from __future__ import annotations

import pytest

from rapport.access import crud
from rapport.customers.models import Account, Contact
from rapport.leads.models import Lead

pytestmark = pytest.mark.django_db


def test_the_api_stores_a_normalised_contact(token_client, admin_user, office):
    admin_user.office = office  # Berlin: national numbers are German
    admin_user.save()
    response = token_client.post(
        "/api/v1/contacts/",
        {
            "first_name": "",
            "last_name": "  JAN   VAN DER BERG ",
            "email": " Jan.Berg@ACME.Example ",
            "phone": "030 1234567",
            "country": "Germany",
            "job_title": "  Head   of  IT ",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    contact = Contact.objects.get(pk=response.json()["id"])
    assert (contact.first_name, contact.last_name) == ("Jan", "van der Berg")
    assert contact.email == "Jan.Berg@acme.example"
    assert contact.phone == "+49301234567"
    assert contact.country == "DE"
    assert contact.job_title == "Head of IT"


def test_an_invalid_phone_is_refused_naming_the_field(token_client):
    response = token_client.post(
        "/api/v1/contacts/", {"last_name": "Ng", "mobile": "+33 12"}, format="json"
    )
    assert response.status_code == 400
    assert "valid phone number" in response.json()["error"]["fields"]["mobile"][0]
    assert not Contact.all_objects.exists()


def test_without_an_office_the_records_country_reads_the_number(admin_user):
    contact: Contact = crud.record_create(
        record_type="contact",
        acting_user=admin_user,
        values={"last_name": "moreau", "phone": "01 23 45 67 89", "country": "FR"},
    )
    contact.refresh_from_db()
    assert contact.phone == "+33123456789"
    assert contact.last_name == "Moreau"


def test_the_page_form_stores_a_normalised_account(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        "/accounts/new/",
        {"name": "  Acme   Holding Inc. ", "owner": admin_user.pk, "phone": "+44 20 7946 0958"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    account = Account.objects.get()
    assert account.name == "Acme Holding Inc."
    assert account.phone == "+442079460958"


def test_the_page_form_shows_an_invalid_phone_next_to_the_field(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        "/contacts/new/", {"last_name": "Ng", "mobile": "+33 12", "owner": admin_user.pk}
    )
    assert response.status_code == 400
    assert "This is not a valid phone number for its country." in response.content.decode()
    assert not Contact.all_objects.exists()


def test_the_api_refuses_an_address_email_validator_rejects(token_client):
    response = token_client.post(
        "/api/v1/leads/", {"last_name": "Ng", "email": "ng@acme.invalid"}, format="json"
    )
    assert response.status_code == 400
    assert "Enter a valid e-mail address" in response.json()["error"]["fields"]["email"][0]
    assert not Lead.all_objects.exists()


def test_a_legacy_value_it_cannot_read_does_not_block_editing_another_field(admin_user):
    contact = Contact.objects.create(last_name="Old", phone="555-0100", owner=admin_user)
    crud.record_update(
        record_type="contact", obj=contact, acting_user=admin_user, values={"job_title": "CFO"}
    )
    contact.refresh_from_db()
    assert (contact.job_title, contact.phone) == ("CFO", "555-0100")


def test_changing_to_an_unreadable_value_is_still_refused(admin_user):
    from django.core.exceptions import ValidationError

    contact = Contact.objects.create(last_name="Old", phone="555-0100", owner=admin_user)
    with pytest.raises(ValidationError) as refused:
        crud.record_update(
            record_type="contact", obj=contact, acting_user=admin_user, values={"phone": "555-0199"}
        )
    assert "phone" in refused.value.message_dict
    contact.refresh_from_db()
    assert contact.phone == "555-0100"
