"""API writes of a likely duplicate answer 409 with candidates unless ?allow_duplicate=true."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from rapport.access import crud
from rapport.access.models import User
from rapport.customers.models import Contact

pytestmark = pytest.mark.django_db

ANN = {"first_name": "Ann", "last_name": "Lee", "email": "ann@acme.com"}


def client_for(user: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_creating_a_duplicate_contact_answers_409_with_the_candidate(rep: User) -> None:
    existing: Contact = crud.record_create(record_type="contact", acting_user=rep, values=ANN)
    response = client_for(rep).post("/api/v1/contacts/", ANN, format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["error"]["code"] == "duplicate"
    assert body["error"]["fields"] == {}
    assert body["candidates"][0]["id"] == existing.pk
    assert body["candidates"][0]["record_type"] == "contact"
    assert body["candidates"][0]["url"] == f"/contacts/{existing.pk}/"
    assert "same e-mail" in body["candidates"][0]["reasons"]
    assert Contact.objects.count() == 1


def test_allow_duplicate_saves_it_anyway(rep: User) -> None:
    crud.record_create(record_type="contact", acting_user=rep, values=ANN)
    response = client_for(rep).post("/api/v1/contacts/?allow_duplicate=true", ANN, format="json")
    assert response.status_code == 201
    assert Contact.objects.count() == 2


def test_a_unique_contact_is_created_as_before(rep: User) -> None:
    crud.record_create(record_type="contact", acting_user=rep, values=ANN)
    response = client_for(rep).post(
        "/api/v1/contacts/", {"first_name": "Bo", "last_name": "Ek"}, format="json"
    )
    assert response.status_code == 201


def test_changing_a_contact_into_a_duplicate_answers_409(rep: User) -> None:
    crud.record_create(record_type="contact", acting_user=rep, values=ANN)
    other: Contact = crud.record_create(
        record_type="contact", acting_user=rep, values={"first_name": "Ann", "last_name": "Lee"}
    )
    response = client_for(rep).patch(
        f"/api/v1/contacts/{other.pk}/", {"email": "ann@acme.com"}, format="json"
    )
    assert response.status_code == 409
    other.refresh_from_db()
    assert other.email == ""


def test_an_edit_that_leaves_the_matched_values_alone_is_not_checked(rep: User) -> None:
    crud.record_create(record_type="contact", acting_user=rep, values=ANN)
    twin: Contact = crud.record_create(record_type="contact", acting_user=rep, values=ANN)
    response = client_for(rep).patch(
        f"/api/v1/contacts/{twin.pk}/", {"job_title": "CTO"}, format="json"
    )
    assert response.status_code == 200


def test_accounts_are_checked_too(rep: User) -> None:
    crud.record_create(
        record_type="account",
        acting_user=rep,
        values={"name": "Acme Inc.", "website": "https://acme.com"},
    )
    response = client_for(rep).post(
        "/api/v1/accounts/", {"name": "ACME", "website": "http://www.acme.com"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["candidates"][0]["reasons"] == ["same name", "same web domain"]
