"""Notes hidden from a role stay hidden and unwritable everywhere: services, pages, API."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from rest_framework.test import APIClient

from rapport.access.models import FieldPermission
from rapport.access.permissions import forget
from rapport.activities.models import Activity
from rapport.activities.services import activity_create, activity_update
from rapport.activities.tests.factories import make_account, make_activity

pytestmark = pytest.mark.django_db


@pytest.fixture
def notes_hidden(rep):
    FieldPermission.objects.create(
        role=rep.role, record_type="activity", field_name="notes", access="hidden"
    )
    forget(rep)
    return rep


def test_the_service_refuses_notes_from_a_role_they_are_hidden_from(notes_hidden):
    account = make_account(notes_hidden)
    with pytest.raises(PermissionDenied):
        activity_create(
            acting_user=notes_hidden,
            values={"kind": "note", "subject": "x", "account": account, "notes": "secret"},
        )
    assert not Activity.objects.exists()


def test_an_update_of_hidden_notes_is_refused_and_nothing_changes(notes_hidden):
    call = make_activity(notes_hidden, account=make_account(notes_hidden), notes="Original")
    with pytest.raises(PermissionDenied):
        activity_update(acting_user=notes_hidden, activity=call, values={"notes": "Changed"})
    assert Activity.objects.get(pk=call.pk).notes == "Original"


def test_the_detail_page_and_quick_call_leave_hidden_notes_out(notes_hidden):
    account = make_account(notes_hidden)
    call = make_activity(notes_hidden, account=account, notes="The secret price is 42")
    client = Client()
    client.force_login(notes_hidden)
    assert "secret price" not in client.get(f"/activities/{call.pk}/").content.decode()
    fragment = client.get(
        "/activities/quick-call/", {"for": f"account:{account.pk}"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert 'name="notes"' not in fragment


def test_the_api_leaves_hidden_notes_out_of_bodies_and_refuses_them(notes_hidden):
    account = make_account(notes_hidden)
    call = make_activity(notes_hidden, account=account, notes="The secret price is 42")
    client = APIClient()
    client.force_authenticate(notes_hidden)
    assert "notes" not in client.get(f"/api/v1/activities/{call.pk}/").json()
    response = client.patch(f"/api/v1/activities/{call.pk}/", {"notes": "x"}, format="json")
    assert response.status_code in {400, 403}
    assert Activity.objects.get(pk=call.pk).notes == "The secret price is 42"
