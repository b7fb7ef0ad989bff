"""The activity pages: list with filters, detail, forms that follow the kind, complete, delete."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from rapport.activities.models import Activity
from rapport.activities.tests.factories import make_account, make_activity, make_contact, make_lead

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_list_filters_by_kind_and_open_tasks(rep):
    account = make_account(rep)
    make_activity(rep, subject="Ring Alpha", account=account)
    make_activity(
        rep, kind="task", subject="Todo Beta", account=account, due_date=timezone.localdate()
    )
    make_activity(
        rep,
        kind="task",
        subject="Todo Gamma",
        account=account,
        due_date=timezone.localdate(),
        completed_at=timezone.now(),
    )
    client = _client(rep)
    body = client.get("/activities/", {"kind": "call"}).content.decode()
    assert "Ring Alpha" in body
    assert "Todo Beta" not in body
    body = client.get("/activities/", {"open_tasks": "on"}).content.decode()
    assert "Todo Beta" in body
    assert "Todo Gamma" not in body
    assert "Ring Alpha" not in body


def test_the_list_filters_by_record_and_due_range(rep):
    account = make_account(rep)
    contact = make_contact(rep, account)
    today = timezone.localdate()
    make_activity(rep, kind="task", subject="Soon", contact=contact, due_date=today)
    make_activity(
        rep,
        kind="task",
        subject="Far",
        account=account,
        due_date=today + datetime.timedelta(days=30),
    )
    make_activity(rep, subject="Other", account=make_account(rep, name="Other"))
    client = _client(rep)
    body = client.get("/activities/", {"record": f"account:{account.pk}"}).content.decode()
    assert "Soon" in body
    assert "Far" in body
    assert "Other" not in body
    body = client.get("/activities/", {"due_to": today.isoformat()}).content.decode()
    assert "Soon" in body
    assert "Far" not in body


def test_the_list_query_count_does_not_grow_with_rows(rep, django_assert_max_num_queries):
    account = make_account(rep)
    contact = make_contact(rep, account)
    client = _client(rep)
    for n in range(2):
        make_activity(rep, subject=f"x{n}", contact=contact, account=account)
    client.get("/activities/")
    with django_assert_max_num_queries(50) as two:
        client.get("/activities/")
    for n in range(10):
        make_activity(rep, subject=f"y{n}", contact=contact, account=account, lead=make_lead(rep))
    with django_assert_max_num_queries(len(two.captured_queries)):
        client.get("/activities/")


def test_the_task_form_asks_for_a_due_date_and_not_for_an_outcome(rep):
    body = _client(rep).get("/activities/new/", {"kind": "task"}).content.decode()
    assert 'name="due_date"' in body
    assert 'name="call_outcome"' not in body


def test_the_call_form_asks_for_an_outcome_and_not_for_a_due_date(rep):
    body = _client(rep).get("/activities/new/", {"kind": "call"}).content.decode()
    assert 'name="call_outcome"' in body
    assert 'name="due_date"' not in body


def test_a_task_is_created_for_the_record_it_was_started_from(rep):
    contact = make_contact(rep, make_account(rep))
    response = _client(rep).post(
        f"/activities/new/?kind=task&for=contact:{contact.pk}",
        {"kind": "task", "subject": "Send the deck", "due_date": "2026-04-01"},
    )
    task = Activity.objects.get()
    assert response.status_code == 302
    assert (task.kind, task.contact, task.account, task.owner) == (
        "task",
        contact,
        contact.account,
        rep,
    )


def test_a_task_without_due_date_is_refused_with_the_reason(rep):
    contact = make_contact(rep, make_account(rep))
    response = _client(rep).post(
        f"/activities/new/?kind=task&for=contact:{contact.pk}",
        {"kind": "task", "subject": "Send the deck"},
    )
    assert response.status_code == 400
    assert not Activity.objects.exists()


def test_the_detail_page_shows_the_activity_and_its_records(rep):
    contact = make_contact(rep, make_account(rep), first_name="Zoe", last_name="Zed")
    call = make_activity(rep, subject="Pricing call", contact=contact, notes="Wants a discount")
    body = _client(rep).get(f"/activities/{call.pk}/").content.decode()
    assert "Pricing call" in body
    assert "Zoe Zed" in body
    assert "Wants a discount" in body


def test_someone_else_gets_404_for_a_reps_activity(make_user, rep):
    call = make_activity(rep, subject="Private", account=make_account(rep))
    assert _client(make_user()).get(f"/activities/{call.pk}/").status_code == 404


def test_completing_from_the_timeline_returns_the_done_entry(rep):
    task = make_activity(
        rep,
        kind="task",
        subject="Follow up",
        account=make_account(rep),
        due_date=timezone.localdate(),
    )
    response = _client(rep).post(
        f"/activities/{task.pk}/complete/", {"return": "timeline"}, headers=HTMX
    )
    assert response.status_code == 200
    assert "Done" in response.content.decode()
    assert Activity.objects.get(pk=task.pk).completed_at is not None


def test_completing_someone_elses_task_is_404_and_changes_nothing(make_user, rep):
    task = make_activity(
        rep,
        kind="task",
        subject="Follow up",
        account=make_account(rep),
        due_date=timezone.localdate(),
    )
    response = _client(make_user()).post(f"/activities/{task.pk}/complete/", headers=HTMX)
    assert response.status_code == 404
    assert Activity.objects.get(pk=task.pk).completed_at is None


def test_delete_moves_the_activity_to_the_recycle_bin(rep):
    call = make_activity(rep, account=make_account(rep))
    response = _client(rep).post(f"/activities/{call.pk}/delete/")
    assert response.status_code == 302
    assert Activity.all_objects.get(pk=call.pk).deleted_at is not None


def test_editing_saves_and_audits_the_change(rep):
    from rapport.core.models import AuditEntry

    account = make_account(rep)
    call = make_activity(rep, subject="Old subject", account=account)
    response = _client(rep).post(
        f"/activities/{call.pk}/edit/",
        {"kind": "call", "subject": "New subject", "account": account.pk},
    )
    assert response.status_code == 302
    assert Activity.objects.get(pk=call.pk).subject == "New subject"
    entry = AuditEntry.objects.get(record_type="activity", object_id=call.pk)
    assert entry.changes["subject"] == {"old": "Old subject", "new": "New subject"}
