"""The merges API: merge, read, list in constant queries, undo, and clear refusals."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport.access.models import FieldPermission
from rapport.customers.models import Contact
from rapport.quality.merge.models import Merge
from rapport.quality.merge.services import records_merge
from rapport.quality.merge.tests import builders as b

pytestmark = pytest.mark.django_db


def test_a_merge_posted_answers_201_with_what_it_moved(token_client, rep):
    first = b.make_contact(rep, email="ada@acme.example")
    second = b.make_contact(rep, job_title="CTO")
    call = b.make_activity(rep, contact=second)
    response = token_client.post(
        "/api/v1/merges/",
        {
            "record_type": "contact",
            "survivor": first.pk,
            "others": [second.pk],
            "field_values": {"job_title": second.pk},
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["survivor"] == first.pk
    assert body["others"] == [second.pk]
    assert body["repointed"] == [
        {
            "model": "activities.activity",
            "field": "contact",
            "old_target": second.pk,
            "ids": [call.pk],
        }
    ]
    assert Contact.objects.get(pk=first.pk).job_title == "CTO"


def test_an_undo_posted_brings_everything_back(token_client, admin_user, rep):
    first = b.make_contact(rep)
    second = b.make_contact(rep)
    before = b.dump()
    merge = records_merge(
        acting_user=admin_user, record_type="contact", survivor=first, others=[second]
    )
    response = token_client.post(f"/api/v1/merges/{merge.pk}/undo/")
    assert response.status_code == 200, response.content
    assert response.json()["undone_at"] is not None
    assert b.dump() == before
    again = token_client.post(f"/api/v1/merges/{merge.pk}/undo/")
    assert again.status_code == 400
    assert "already undone" in again.json()["error"]["message"]


def test_a_rep_who_may_not_delete_is_refused_and_nothing_changes(api_client, rep):
    first = b.make_contact(rep)
    second = b.make_contact(rep)
    before = b.dump()
    api_client.force_authenticate(rep)
    response = api_client.post(
        "/api/v1/merges/",
        {"record_type": "contact", "survivor": first.pk, "others": [second.pk]},
        format="json",
    )
    assert response.status_code == 403
    assert b.dump() == before
    assert not Merge.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"record_type": "deal"}, "record_type"),
        ({"others": []}, "others"),
        ({"field_values": {"email": 999999}}, "email"),
    ],
)
def test_bad_input_answers_400_naming_the_field(token_client, rep, body, field):
    first = b.make_contact(rep)
    second = b.make_contact(rep)
    payload = {"record_type": "contact", "survivor": first.pk, "others": [second.pk], **body}
    response = token_client.post("/api/v1/merges/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert not Merge.objects.exists()


def test_hidden_fields_are_left_out_of_a_merge_read(api_client, make_user, admin_user):
    manager = make_user(role="sales_manager")
    FieldPermission.objects.create(
        role=manager.role, record_type="contact", field_name="email", access="hidden"
    )
    first = b.make_contact(manager, email="secret@example.com")
    second = b.make_contact(manager)
    merge = records_merge(
        acting_user=admin_user, record_type="contact", survivor=first, others=[second]
    )
    api_client.force_authenticate(manager)
    body = api_client.get(f"/api/v1/merges/{merge.pk}/").json()
    assert "email" not in body["previous_values"]
    assert "email" not in body["field_values"]
    assert "last_name" in body["previous_values"]


def test_a_rep_sees_only_merges_of_records_they_may_see(api_client, make_user, admin_user):
    outsider = make_user(role="sales_rep")
    mine = make_user(role="sales_rep")
    first, second = b.make_contact(outsider), b.make_contact(outsider)
    records_merge(acting_user=admin_user, record_type="contact", survivor=first, others=[second])
    api_client.force_authenticate(mine)
    assert api_client.get("/api/v1/merges/").json()["results"] == []


def _merges(count, admin_user, rep):
    for _ in range(count):
        first, second = b.make_contact(rep), b.make_contact(rep)
        records_merge(
            acting_user=admin_user, record_type="contact", survivor=first, others=[second]
        )


def test_the_list_takes_the_same_queries_for_2_and_20_merges(token_client, admin_user, rep):
    _merges(2, admin_user, rep)
    token_client.get("/api/v1/merges/")
    with CaptureQueriesContext(connection) as few:
        assert len(token_client.get("/api/v1/merges/").json()["results"]) == 2
    _merges(18, admin_user, rep)
    with CaptureQueriesContext(connection) as many:
        assert len(token_client.get("/api/v1/merges/").json()["results"]) == 20
    assert len(many) == len(few)
