"""The quick call: a form fragment from a list row or timeline, logging the call in place."""

from __future__ import annotations

import pytest
from django.test import Client

from rapport.activities.models import Activity
from rapport.activities.tests.factories import make_account, make_contact, make_lead, picklist_value

pytestmark = pytest.mark.django_db
URL = "/activities/quick-call/"
HTMX = {"HX-Request": "true"}


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_fragment_prefills_the_subject_and_offers_the_outcomes(rep):
    contact = make_contact(rep, make_account(rep), first_name="Nina", last_name="Nguyen")
    response = _client(rep).get(URL, {"for": f"contact:{contact.pk}"}, headers=HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body  # a fragment, not a page
    assert 'value="Call with Nina Nguyen"' in body
    assert "Left voicemail" in body
    assert "Reached voicemail and left a message." in body  # the value's definition


def test_posting_logs_the_call_and_swaps_in_a_confirmation(rep):
    lead = make_lead(rep)
    voicemail = picklist_value("call_outcome", "voicemail")
    response = _client(rep).post(
        f"{URL}?for=lead:{lead.pk}",
        {
            "subject": "Call with Lou",
            "call_outcome": voicemail.pk,
            "duration_minutes": "3",
            "notes": "Left a message",
        },
        headers=HTMX,
    )
    assert response.status_code == 200
    assert "Call logged" in response.content.decode()
    call = Activity.objects.get()
    assert (call.kind, call.lead, call.call_outcome, call.duration_minutes, call.owner) == (
        "call",
        lead,
        voicemail,
        3,
        rep,
    )


def test_a_missing_subject_shows_the_form_again_with_the_error(rep):
    lead = make_lead(rep)
    response = _client(rep).post(f"{URL}?for=lead:{lead.pk}", {"subject": ""}, headers=HTMX)
    assert response.status_code == 200  # htmx swaps only 2xx answers
    assert "This field is required." in response.content.decode()
    assert not Activity.objects.exists()


def test_a_record_out_of_sight_answers_404_and_logs_nothing(make_user, rep):
    lead = make_lead(make_user())
    client = _client(rep)
    assert client.get(URL, {"for": f"lead:{lead.pk}"}, headers=HTMX).status_code == 404
    assert (
        client.post(f"{URL}?for=lead:{lead.pk}", {"subject": "x"}, headers=HTMX).status_code == 404
    )
    assert not Activity.objects.exists()


def test_a_role_that_may_not_log_activities_is_refused(make_user, rep):
    viewer = make_user(role="executive")
    account = make_account(rep)
    response = _client(viewer).post(
        f"{URL}?for=account:{account.pk}", {"subject": "x"}, headers=HTMX
    )
    assert response.status_code == 403
    assert not Activity.objects.exists()


def test_a_malformed_reference_is_a_bad_request(rep):
    assert _client(rep).get(URL, {"for": "planet:3"}, headers=HTMX).status_code == 400


def test_without_htmx_it_is_a_whole_page(rep):
    account = make_account(rep, name="Initech")
    response = _client(rep).get(URL, {"for": f"account:{account.pk}"})
    assert "<html" in response.content.decode()
    assert "Log a call with Initech" in response.content.decode()


def test_a_record_page_timeline_offers_to_log_a_call_on_that_record(rep):
    contact = make_contact(rep, make_account(rep))
    body = _client(rep).get(f"/contacts/{contact.pk}/").content.decode()
    assert f"/activities/quick-call/?for=contact%3A{contact.pk}" in body
    assert f"/activities/new/?for=contact%3A{contact.pk}" in body


def test_a_role_that_may_not_log_activities_gets_no_buttons(make_user, rep):
    viewer = make_user(role="executive")
    account = make_account(viewer)
    body = _client(viewer).get(f"/accounts/{account.pk}/").content.decode()
    assert "/activities/quick-call/" not in body
