"""The contact form warns about likely duplicates before saving; "Save anyway" saves."""

from __future__ import annotations

import pytest
from django.test import Client

from rapport.access import crud
from rapport.access.models import User
from rapport.customers.models import Contact

pytestmark = pytest.mark.django_db

ANN = {"first_name": "Ann", "last_name": "Lee", "email": "ann@acme.com"}


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_likely_duplicate_is_shown_instead_of_saved(rep: User) -> None:
    existing: Contact = crud.record_create(record_type="contact", acting_user=rep, values=ANN)
    response = signed_in(rep).post("/contacts/new/", {**ANN, "owner": rep.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "This may already exist" in html
    assert f'href="/contacts/{existing.pk}/"' in html
    assert "same e-mail" in html
    assert 'name="allow_duplicate"' in html
    assert Contact.objects.count() == 1


def test_save_anyway_creates_the_record(rep: User) -> None:
    crud.record_create(record_type="contact", acting_user=rep, values=ANN)
    response = signed_in(rep).post(
        "/contacts/new/", {**ANN, "owner": rep.pk, "allow_duplicate": "true"}
    )
    assert response.status_code == 302
    assert Contact.objects.count() == 2


def test_a_unique_contact_saves_straight_away(rep: User) -> None:
    crud.record_create(record_type="contact", acting_user=rep, values=ANN)
    response = signed_in(rep).post(
        "/contacts/new/", {"first_name": "Bo", "last_name": "Ek", "owner": rep.pk}
    )
    assert response.status_code == 302
