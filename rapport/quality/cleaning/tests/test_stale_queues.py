"""Stale-data queues: untouched records, bounced e-mails, people who left, deceased contacts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from rapport.customers.models import Account, Contact
from rapport.quality.cleaning.models import ContactStatusMark, StaleReview

pytestmark = pytest.mark.django_db

LONG_AGO = datetime(2024, 1, 10, 9, 0, tzinfo=UTC)
NOW = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)


def _old_account(owner, name):
    with time_machine.travel(LONG_AGO, tick=False):
        return Account.objects.create(name=name, owner=owner)


def test_records_untouched_for_n_months_are_listed_until_reviewed(client, admin_user):
    old = _old_account(admin_user, "Dusty Ltd")
    with time_machine.travel(NOW, tick=False):
        Account.objects.create(name="Fresh Ltd", owner=admin_user)
        client.force_login(admin_user)
        page = client.get(
            "/cleaning/stale/?queue=untouched&type=account&months=12"
        ).content.decode()
        assert "Dusty Ltd" in page
        assert "Fresh Ltd" not in page
        response = client.post(
            "/cleaning/stale/act/",
            {"action": "mark_reviewed", "record_type": "account", "object_id": old.pk},
        )
        assert response.status_code == 302
        assert StaleReview.objects.filter(record_type="account", object_id=old.pk).exists()
        assert (
            "Dusty Ltd"
            not in client.get("/cleaning/stale/?queue=untouched&type=account").content.decode()
        )


def test_a_recent_activity_keeps_a_record_out_of_the_queue(token_client, admin_user):
    from rapport.activities.models import Activity

    old = _old_account(admin_user, "Called Ltd")
    with time_machine.travel(NOW, tick=False):
        Activity.objects.create(
            kind="call", subject="Catch-up", owner=admin_user, account=old, occurred_at=NOW
        )
        rows = token_client.get("/api/v1/stale/?queue=untouched&type=account").json()["results"]
    assert rows == []


def test_another_teams_stale_records_stay_out_of_sight(client, make_user, admin_user):
    _old_account(admin_user, "Secret Ltd")
    with time_machine.travel(NOW, tick=False):
        client.force_login(make_user(role="sales_rep"))
        assert (
            "Secret Ltd"
            not in client.get("/cleaning/stale/?queue=untouched&type=account").content.decode()
        )


def test_a_bounced_address_is_listed_until_cleared(token_client, admin_user):
    contact = Contact.objects.create(
        last_name="Bounce", email="gone@acme.example", owner=admin_user
    )
    response = token_client.post(
        "/api/v1/email-bounces/",
        {
            "record_type": "contact",
            "object_id": contact.pk,
            "email": "gone@ACME.example",
            "reason": "550",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    rows = token_client.get("/api/v1/stale/?queue=bounced&type=contact").json()["results"]
    assert [r["id"] for r in rows] == [contact.pk]
    acted = token_client.post(
        "/api/v1/stale/act/",
        {"action": "clear_email", "record_type": "contact", "object_id": contact.pk},
        format="json",
    )
    assert acted.status_code == 204
    contact.refresh_from_db()
    assert contact.email == ""
    assert token_client.get("/api/v1/stale/?queue=bounced&type=contact").json()["results"] == []


def test_left_company_and_deceased_contacts_have_their_queues(client, admin_user):
    left = Contact.objects.create(last_name="Gone", left_company=True, owner=admin_user)
    late = Contact.objects.create(last_name="Late", owner=admin_user)
    client.force_login(admin_user)
    assert "Gone" in client.get("/cleaning/stale/?queue=left_company").content.decode()
    client.post(
        "/cleaning/stale/act/",
        {"action": "mark_deceased", "record_type": "contact", "object_id": late.pk},
    )
    assert ContactStatusMark.objects.filter(contact=late, kind="deceased").exists()
    assert "Late" in client.get("/cleaning/stale/?queue=deceased").content.decode()
    client.post(
        "/cleaning/stale/act/",
        {"action": "do_not_contact", "record_type": "contact", "object_id": late.pk},
    )
    late.refresh_from_db()
    assert late.do_not_contact
    assert "Late" not in client.get("/cleaning/stale/?queue=deceased").content.decode()
    assert left.left_company


def test_a_rep_who_cannot_edit_is_refused_an_action(api_client, make_user, admin_user):
    contact = Contact.objects.create(last_name="Theirs", owner=admin_user)
    api_client.force_authenticate(make_user(role="sales_rep"))
    response = api_client.post(
        "/api/v1/stale/act/",
        {"action": "set_left_company", "record_type": "contact", "object_id": contact.pk},
        format="json",
    )
    assert response.status_code in (403, 404)
    contact.refresh_from_db()
    assert not contact.left_company


def test_the_queue_costs_the_same_queries_for_2_and_20_rows(token_client, admin_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with time_machine.travel(NOW, tick=False):
            token_client.get("/api/v1/stale/?queue=untouched&type=account")
            with CaptureQueriesContext(connection) as queries:
                token_client.get("/api/v1/stale/?queue=untouched&type=account")
        return len(queries)

    for n in range(2):
        _old_account(admin_user, f"Old {n}")
    few = count()
    for n in range(18):
        _old_account(admin_user, f"Older {n}")
    assert count() == few
