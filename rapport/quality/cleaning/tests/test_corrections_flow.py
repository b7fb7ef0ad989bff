"""Flag wrong data: anyone who reads a record reports, its owner (or a data steward) decides."""

from __future__ import annotations

import pytest

from rapport.core.models import AuditEntry
from rapport.customers.models import Contact
from rapport.quality.cleaning.models import CorrectionRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(make_user, team):
    return make_user(role="sales_rep", team=team)


@pytest.fixture
def colleague(make_user, team):
    return make_user(role="sales_rep", team=team)


@pytest.fixture
def contact(owner):
    return Contact.objects.create(
        last_name="Lovelace", first_name="Ada", job_title="CTO", owner=owner
    )


def _flag(api_client, user, contact, **values):
    api_client.force_authenticate(user)
    body = {"record_type": "contact", "object_id": contact.pk, "field_name": "job_title"}
    body.update(values)
    return api_client.post("/api/v1/corrections/", body, format="json")


def test_a_colleague_flags_a_value_and_the_owner_accepts_it(api_client, owner, colleague, contact):
    response = _flag(
        api_client, colleague, contact, suggested_value="  Chief   Scientist ", comment="Promoted"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["current_value"] == "CTO"
    assert body["status"] == "open"

    api_client.force_authenticate(owner)
    inbox = api_client.get("/api/v1/corrections/?box=assigned").json()["results"]
    assert [row["id"] for row in inbox] == [body["id"]]
    accepted = api_client.post(f"/api/v1/corrections/{body['id']}/accept/")
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "accepted"
    contact.refresh_from_db()
    assert contact.job_title == "Chief Scientist"  # normalised like any write
    assert AuditEntry.objects.filter(
        record_type="contact", object_id=contact.pk, action="update", actor=owner
    ).exists()

    api_client.force_authenticate(colleague)
    mine = api_client.get("/api/v1/corrections/?box=mine").json()["results"]
    assert mine[0]["status"] == "accepted"


def test_a_rejection_needs_a_reason_and_the_reporter_reads_it(
    api_client, owner, colleague, contact
):
    correction_id = _flag(api_client, colleague, contact, suggested_value="CEO").json()["id"]
    api_client.force_authenticate(owner)
    refused = api_client.post(
        f"/api/v1/corrections/{correction_id}/reject/", {"reason": " "}, format="json"
    )
    assert refused.status_code == 400
    assert CorrectionRequest.objects.get().status == "open"
    done = api_client.post(
        f"/api/v1/corrections/{correction_id}/reject/",
        {"reason": "Still CTO per LinkedIn"},
        format="json",
    )
    assert done.status_code == 200
    api_client.force_authenticate(colleague)
    mine = api_client.get("/api/v1/corrections/?box=mine").json()["results"]
    assert (mine[0]["status"], mine[0]["reason"]) == ("rejected", "Still CTO per LinkedIn")
    contact.refresh_from_db()
    assert contact.job_title == "CTO"


def test_a_suggestion_that_fails_validation_is_reported_not_applied(
    api_client, owner, colleague, contact
):
    correction_id = _flag(
        api_client, colleague, contact, field_name="email", suggested_value="not-an-address"
    ).json()["id"]
    api_client.force_authenticate(owner)
    response = api_client.post(f"/api/v1/corrections/{correction_id}/accept/")
    assert response.status_code == 400
    assert "email" in response.json()["error"]["fields"]
    contact.refresh_from_db()
    assert contact.email == ""
    assert CorrectionRequest.objects.get().status == "open"


def test_the_reporter_cannot_decide_their_own_flag(api_client, colleague, contact):
    correction_id = _flag(api_client, colleague, contact, suggested_value="CEO").json()["id"]
    response = api_client.post(f"/api/v1/corrections/{correction_id}/accept/")
    assert response.status_code == 403
    contact.refresh_from_db()
    assert contact.job_title == "CTO"
    assert CorrectionRequest.objects.get().status == "open"


def test_a_data_steward_decides_any_correction(api_client, admin_user, colleague, contact):
    correction_id = _flag(api_client, colleague, contact, suggested_value="CEO").json()["id"]
    api_client.force_authenticate(admin_user)
    assert api_client.post(f"/api/v1/corrections/{correction_id}/accept/").status_code == 200
    contact.refresh_from_db()
    assert contact.job_title == "CEO"


def test_someone_who_cannot_read_the_record_cannot_flag_it(api_client, make_user, contact):
    stranger = make_user(role="sales_rep")
    response = _flag(api_client, stranger, contact, suggested_value="CEO")
    assert response.status_code == 404
    assert not CorrectionRequest.objects.exists()


def test_a_hidden_field_cannot_be_flagged(api_client, colleague, contact):
    from rapport.access.models import FieldPermission

    FieldPermission.objects.create(
        role=colleague.role, record_type="contact", field_name="job_title", access="hidden"
    )
    response = _flag(api_client, colleague, contact, suggested_value="CEO")
    assert response.status_code == 400
    assert "field_name" in response.json()["error"]["fields"]
    assert not CorrectionRequest.objects.exists()


def test_the_inbox_page_lists_and_accepts(client, owner, colleague, contact, api_client):
    _flag(api_client, colleague, contact, suggested_value="CEO", comment="New role")
    client.force_login(owner)
    page = client.get("/cleaning/corrections/").content.decode()
    assert "New role" in page
    assert "CEO" in page
    correction = CorrectionRequest.objects.get()
    response = client.post(f"/cleaning/corrections/{correction.pk}/accept/")
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.job_title == "CEO"


def test_the_report_page_creates_a_flag(client, colleague, contact):
    client.force_login(colleague)
    assert (
        "Report wrong data"
        in client.get(f"/cleaning/report/contact/{contact.pk}/").content.decode()
    )
    response = client.post(
        f"/cleaning/report/contact/{contact.pk}/",
        {"field_name": "job_title", "suggested_value": "CEO", "comment": "Promoted"},
    )
    assert response.status_code == 302
    assert CorrectionRequest.objects.get().reporter == colleague


def test_the_list_costs_the_same_queries_for_2_and_20_rows(
    api_client, owner, colleague, contact, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        api_client.force_authenticate(owner)
        api_client.get("/api/v1/corrections/?box=assigned")
        with CaptureQueriesContext(connection) as queries:
            assert api_client.get("/api/v1/corrections/?box=assigned").status_code == 200
        return len(queries)

    for _ in range(2):
        CorrectionRequest.objects.create(
            record_type="contact", object_id=contact.pk, field_name="job_title", reporter=colleague
        )
    few = count()
    for _ in range(18):
        CorrectionRequest.objects.create(
            record_type="contact", object_id=contact.pk, field_name="job_title", reporter=colleague
        )
    assert count() == few


def test_an_unreadable_date_suggestion_names_the_field(api_client, owner, colleague, contact):
    correction_id = _flag(
        api_client, colleague, contact, field_name="birthdate", suggested_value="next tuesday"
    ).json()["id"]
    api_client.force_authenticate(owner)
    response = api_client.post(f"/api/v1/corrections/{correction_id}/accept/")
    assert response.status_code == 400
    assert "birthdate" in response.json()["error"]["fields"]
    assert CorrectionRequest.objects.get().status == "open"
