"""The activity collection and the timeline over the API."""

from __future__ import annotations

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from rapport.activities.models import Activity
from rapport.activities.tests.factories import (
    make_account,
    make_activity,
    make_contact,
    make_lead,
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/activities/"


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_call_is_logged_with_its_outcome_by_key(rep):
    contact = make_contact(rep, make_account(rep))
    response = _api(rep).post(
        URL,
        {"kind": "call", "subject": "Intro", "contact": contact.pk, "call_outcome": "voicemail"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["call_outcome"] == "voicemail"
    assert body["call_outcome_label"] == "Left voicemail"
    assert body["owner"] == rep.pk
    assert body["account"] == contact.account_id


def test_a_task_without_a_due_date_is_refused_naming_the_field(rep):
    lead = make_lead(rep)
    response = _api(rep).post(
        URL, {"kind": "task", "subject": "Do it", "lead": lead.pk}, format="json"
    )
    assert response.status_code == 400
    assert "due_date" in str(response.json())
    assert not Activity.objects.exists()


def test_an_activity_about_nothing_is_refused(rep):
    response = _api(rep).post(URL, {"kind": "note", "subject": "Hmm"}, format="json")
    assert response.status_code == 400
    assert not Activity.objects.exists()


def test_the_list_shows_only_what_the_caller_may_read(make_user, rep):
    account = make_account(rep)
    mine = make_activity(rep, account=account)
    make_activity(make_user(), account=account)
    response = _api(rep).get(URL)
    assert [row["id"] for row in response.json()["results"]] == [mine.pk]


def test_the_list_filters_open_tasks(rep):
    account = make_account(rep)
    task = make_activity(rep, kind="task", account=account, due_date=timezone.localdate())
    make_activity(rep, account=account)
    response = _api(rep).get(URL, {"open_tasks": "true"})
    assert [row["id"] for row in response.json()["results"]] == [task.pk]


def test_the_list_query_count_is_constant(rep, django_assert_max_num_queries):
    account = make_account(rep)
    client = _api(rep)
    make_activity(rep, account=account)
    with django_assert_max_num_queries(30) as few:
        client.get(URL)
    for _ in range(10):
        make_activity(rep, account=account, lead=make_lead(rep))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(URL)


def test_completing_a_task_over_the_api(rep):
    task = make_activity(rep, kind="task", account=make_account(rep), due_date=timezone.localdate())
    response = _api(rep).post(f"{URL}{task.pk}/complete/")
    assert response.status_code == 200
    assert response.json()["completed_at"] is not None


def test_completing_someone_elses_task_is_404_and_changes_nothing(make_user, rep):
    task = make_activity(rep, kind="task", account=make_account(rep), due_date=timezone.localdate())
    response = _api(make_user()).post(f"{URL}{task.pk}/complete/")
    assert response.status_code == 404
    assert Activity.objects.get(pk=task.pk).completed_at is None


def test_a_role_that_may_only_read_cannot_complete(make_user, rep):
    task = make_activity(rep, kind="task", account=make_account(rep), due_date=timezone.localdate())
    response = _api(make_user(role="executive")).post(f"{URL}{task.pk}/complete/")
    assert response.status_code == 403
    assert Activity.objects.get(pk=task.pk).completed_at is None


def test_a_delete_goes_to_the_recycle_bin(rep):
    call = make_activity(rep, account=make_account(rep))
    assert _api(rep).delete(f"{URL}{call.pk}/").status_code == 204
    assert Activity.all_objects.get(pk=call.pk).deleted_at is not None


def test_the_timeline_of_an_account(rep):
    account = make_account(rep)
    contact = make_contact(rep, account)
    make_activity(rep, subject="Via contact", contact=contact)
    response = _api(rep).get(
        "/api/v1/timeline/", {"record_type": "account", "record_id": str(account.pk)}
    )
    assert response.status_code == 200
    [entry] = response.json()
    assert entry["title"] == "Via contact"
    assert entry["kind"] == "call"


def test_the_timeline_of_a_record_out_of_sight_is_404(make_user, rep):
    account = make_account(make_user())
    response = _api(rep).get(
        "/api/v1/timeline/", {"record_type": "account", "record_id": str(account.pk)}
    )
    assert response.status_code == 404


def test_the_timeline_refuses_an_unknown_record_type(rep):
    response = _api(rep).get("/api/v1/timeline/", {"record_type": "planet", "record_id": "1"})
    assert response.status_code == 400
