"""A Data Steward reviews everyone's likely duplicates: the queue, "not a duplicate", a scan."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from rest_framework.test import APIClient

from rapport.access import crud
from rapport.access.models import User
from rapport.customers.models import Contact
from rapport.quality.dedupe.models import DuplicatePair
from rapport.quality.dedupe.scan import duplicates_scan

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def twins(owner: User) -> tuple[Contact, Contact]:
    values = {"first_name": "Ann", "last_name": "Leeson", "email": "ann@acme.example"}
    first: Contact = crud.record_create(record_type="contact", acting_user=owner, values=values)
    second: Contact = crud.record_create(record_type="contact", acting_user=owner, values=values)
    return first, second


@pytest.fixture
def steward(make_user: Callable[..., User]) -> User:
    return make_user(role="data_steward")


def test_a_steward_sees_the_pairs_of_records_others_own(steward: User, rep: User) -> None:
    first, second = twins(rep)
    duplicates_scan(record_type="contact", acting_user=None)

    html = signed_in(steward).get("/quality/duplicates/").content.decode()

    assert f'href="/contacts/{first.pk}/"' in html
    assert f'href="/contacts/{second.pk}/"' in html
    assert f"ids={first.pk},{second.pk}" in html  # the merge button
    assert "Scan now" in html


def test_a_steward_marks_a_pair_not_a_duplicate(steward: User, rep: User) -> None:
    twins(rep)
    duplicates_scan(record_type="contact", acting_user=None)
    pair = DuplicatePair.objects.get()

    response = signed_in(steward).post(f"/quality/duplicates/{pair.pk}/not-duplicate/")

    assert response.status_code == 302
    pair.refresh_from_db()
    assert (pair.status, pair.decided_by) == ("not_duplicate", steward)


def test_a_steward_starts_a_scan(steward: User) -> None:
    response = signed_in(steward).post("/quality/duplicates/scan/")
    assert response.status_code == 302
    assert "task=" in response["Location"]


def test_a_steward_starts_a_scan_through_the_api(api_client: APIClient, steward: User) -> None:
    api_client.force_authenticate(steward)
    response = api_client.post("/api/v1/duplicates/scan/", {}, format="json")
    assert response.status_code == 202, response.content
