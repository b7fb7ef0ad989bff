"""A format rule (contacts' e-mail addresses at the company domain) on the contact page and API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rapport.customers.models import Contact
from rapport.customers.web.forms import ContactForm
from rapport.quality.rules.models import ValidationRule
from rapport.quality.rules.tests.conftest import form_data

pytestmark = pytest.mark.django_db

RULE = {
    "record_type": "contact",
    "name": "Company e-mail",
    "kind": ValidationRule.Kind.FORMAT,
    "field_names": ["email"],
    "condition": 'email is empty or email contains "@acme.example"',
    "message": "E-mail addresses must be at acme.example",
}


@pytest.fixture
def contact(account, rep):
    return Contact.objects.create(first_name="Ada", last_name="Byron", account=account, owner=rep)


def test_the_api_refuses_an_address_at_another_domain(make_rule, contact, rep_api):
    make_rule(**RULE)
    response = rep_api.patch(
        f"/api/v1/contacts/{contact.pk}/", {"email": "ada@gmail.com"}, format="json"
    )
    assert response.status_code == 400
    assert "Company e-mail" in str(response.json())
    assert Contact.objects.get(pk=contact.pk).email == ""


def test_the_api_accepts_an_address_at_the_domain(make_rule, contact, rep_api):
    make_rule(**RULE)
    response = rep_api.patch(
        f"/api/v1/contacts/{contact.pk}/", {"email": "ada@acme.example"}, format="json"
    )
    assert response.status_code == 200, response.content


def test_the_contact_page_shows_the_rule_on_the_email_field(make_rule, contact, rep_client):
    make_rule(**RULE)
    url = reverse("customers:contact-edit", args=[contact.pk])
    response = rep_client.post(url, form_data(ContactForm, contact, email="ada@gmail.com"))
    assert "Company e-mail" in " ".join(response.context["form"].errors["email"])
    assert Contact.objects.get(pk=contact.pk).email == ""
