"""A Data Steward decides suggested corrections on anyone's records and edits the glossary;
a rep who neither owns the record nor is a steward may not."""

from __future__ import annotations

import pytest
from django.test import Client

from rapport.core.models import AuditEntry
from rapport.customers.models import Contact
from rapport.quality.cleaning.models import CorrectionRequest, FieldDefinition

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(make_user, team):
    return make_user(role="sales_rep", team=team)


@pytest.fixture
def reporter(make_user, team):
    return make_user(role="sales_rep", team=team)


@pytest.fixture
def steward(make_user):
    return make_user(role="data_steward")


@pytest.fixture
def contact(owner):
    return Contact.objects.create(
        last_name="Lovelace", first_name="Ada", job_title="CTO", owner=owner
    )


@pytest.fixture
def correction_id(api_client, reporter, contact):
    api_client.force_authenticate(reporter)
    body = {
        "record_type": "contact",
        "object_id": contact.pk,
        "field_name": "job_title",
        "suggested_value": "Chief Scientist",
        "comment": "Promoted in May",
    }
    response = api_client.post("/api/v1/corrections/", body, format="json")
    assert response.status_code == 201, response.content
    return response.json()["id"]


def test_a_steward_sees_and_accepts_a_correction_on_someone_elses_contact(
    api_client, steward, reporter, contact, correction_id
):
    api_client.force_authenticate(steward)
    inbox = api_client.get("/api/v1/corrections/?box=assigned").json()["results"]
    assert [row["id"] for row in inbox] == [correction_id]

    accepted = api_client.post(f"/api/v1/corrections/{correction_id}/accept/")

    assert accepted.status_code == 200, accepted.content
    contact.refresh_from_db()
    assert contact.job_title == "Chief Scientist"
    assert AuditEntry.objects.filter(
        record_type="contact", object_id=contact.pk, action="update", actor=steward
    ).exists()
    assert CorrectionRequest.objects.get().decided_by == steward
    api_client.force_authenticate(reporter)
    mine = api_client.get("/api/v1/corrections/?box=mine").json()["results"]
    assert mine[0]["status"] == "accepted"


def test_a_steward_rejects_a_correction_with_a_reason(
    api_client, steward, reporter, contact, correction_id
):
    api_client.force_authenticate(steward)
    done = api_client.post(
        f"/api/v1/corrections/{correction_id}/reject/",
        {"reason": "Still CTO per the annual report"},
        format="json",
    )

    assert done.status_code == 200, done.content
    contact.refresh_from_db()
    assert contact.job_title == "CTO"
    api_client.force_authenticate(reporter)
    mine = api_client.get("/api/v1/corrections/?box=mine").json()["results"]
    assert (mine[0]["status"], mine[0]["reason"]) == (
        "rejected",
        "Still CTO per the annual report",
    )


def test_the_steward_inbox_page_lists_and_accepts(steward, contact, correction_id):
    client = Client()
    client.force_login(steward)
    page = client.get("/cleaning/corrections/").content.decode()
    assert "Promoted in May" in page

    response = client.post(f"/cleaning/corrections/{correction_id}/accept/")

    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.job_title == "Chief Scientist"


def test_a_rep_who_is_neither_owner_nor_steward_is_refused(
    api_client, make_user, team, contact, correction_id
):
    bystander = make_user(role="sales_rep", team=team)  # sees and may edit the team's contact
    api_client.force_authenticate(bystander)
    assert api_client.get("/api/v1/corrections/?box=assigned").json()["results"] == []

    accepted = api_client.post(f"/api/v1/corrections/{correction_id}/accept/")
    rejected = api_client.post(
        f"/api/v1/corrections/{correction_id}/reject/", {"reason": "No"}, format="json"
    )

    # Not in their inbox: not found, as for any record outside the person's reach.
    assert accepted.status_code == 404
    assert rejected.status_code == 404
    contact.refresh_from_db()
    assert contact.job_title == "CTO"
    correction = CorrectionRequest.objects.get()
    assert (correction.status, correction.decided_by) == ("open", None)


def _definition() -> str | None:
    entry = FieldDefinition.objects.filter(record_type="contact", field_name="job_title").first()
    return entry.definition if entry else None


def test_a_steward_edits_the_glossary_and_a_rep_may_not(steward, rep):
    url = "/cleaning/glossary/contact/job_title/edit/"
    before = _definition()
    refused = Client()
    refused.force_login(rep)
    assert refused.post(url, {"definition": "Anything"}).status_code == 403
    assert _definition() == before

    client = Client()
    client.force_login(steward)
    response = client.post(url, {"definition": "The title on their business card."})

    assert response.status_code == 302
    assert _definition() == "The title on their business card."
