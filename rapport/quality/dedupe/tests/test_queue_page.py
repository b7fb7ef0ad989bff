"""The duplicates page: pairs side by side with reasons; not a duplicate; scan now."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from rapport.access import crud
from rapport.access.models import User
from rapport.customers.models import Account, Contact
from rapport.quality.dedupe.models import DuplicatePair
from rapport.quality.dedupe.scan import duplicates_scan

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def twins(owner: User, n: int) -> list[Contact]:
    made: list[Contact] = []
    for i in range(n):
        account: Account = crud.record_create(
            record_type="account", acting_user=owner, values={"name": f"Firm {i}"}
        )
        values = {
            "first_name": "Ann",
            "last_name": f"Lee{i}x",
            "email": f"ann{i}@acme.com",
            "account": account,
        }
        made.append(crud.record_create(record_type="contact", acting_user=owner, values=values))
        made.append(crud.record_create(record_type="contact", acting_user=owner, values=values))
    return made


def test_the_page_shows_both_records_and_why(rep: User) -> None:
    a, b = twins(rep, 1)
    duplicates_scan(record_type="contact", acting_user=None)
    response = signed_in(rep).get("/quality/duplicates/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="/contacts/{a.pk}/"' in html
    assert f'href="/contacts/{b.pk}/"' in html
    assert "same e-mail" in html
    assert "Scan now" not in html  # administrators only


def test_the_page_runs_a_constant_number_of_queries(rep: User) -> None:
    twins(rep, 2)
    duplicates_scan(record_type="contact", acting_user=None)
    client = signed_in(rep)
    client.get("/quality/duplicates/")
    with CaptureQueriesContext(connection) as few:
        client.get("/quality/duplicates/")
    twins(rep, 20)
    duplicates_scan(record_type="contact", acting_user=None)
    with CaptureQueriesContext(connection) as many:
        client.get("/quality/duplicates/")
    assert len(many) == len(few)


def test_not_a_duplicate_takes_the_pair_off_the_page(rep: User) -> None:
    twins(rep, 1)
    duplicates_scan(record_type="contact", acting_user=None)
    pair = DuplicatePair.objects.get()
    client = signed_in(rep)
    response = client.post(f"/quality/duplicates/{pair.pk}/not-duplicate/")
    assert response.status_code == 302
    pair.refresh_from_db()
    assert pair.status == "not_duplicate"
    assert "No likely duplicates" in client.get("/quality/duplicates/").content.decode()


def test_a_rep_may_not_scan(rep: User) -> None:
    response = signed_in(rep).post("/quality/duplicates/scan/")
    assert response.status_code == 403


def test_an_administrator_scans_and_sees_the_progress(admin_user: User) -> None:
    response = signed_in(admin_user).post("/quality/duplicates/scan/")
    assert response.status_code == 302
    page = signed_in(admin_user).get(response["Location"])
    assert 'class="task-progress' in page.content.decode()
