"""Administrators see the picklists, add a value, and edit one, from Administration → Picklists."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rapport.core.models import PicklistValue

pytestmark = pytest.mark.django_db


def test_the_list_page_shows_every_picklist_with_its_counts(client, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("core:picklists"))
    assert page.status_code == 200
    assert b"Decision timeline" in page.content
    assert reverse("core:picklist", args=["call_outcome"]).encode() in page.content


def test_a_picklist_page_shows_values_with_definitions_and_move_buttons(client, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("core:picklist", args=["call_outcome"]))
    assert page.status_code == 200
    assert b"Left voicemail" in page.content
    assert b"Reached voicemail and left a message." in page.content
    assert b'hx-post="' in page.content
    assert b"Move Left voicemail up" in page.content


def test_an_administrator_adds_a_value_from_the_page(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("core:picklist", args=["industry"]),
        {"label": "Agriculture", "key": "agriculture", "definition": "Farms.", "color": ""},
    )
    assert response.status_code == 302
    added = PicklistValue.objects.get(picklist__key="industry", key="agriculture")
    assert (
        added.sort_order
        > PicklistValue.objects.get(picklist__key="industry", key="other").sort_order
    )


def test_a_duplicate_key_is_shown_as_a_form_error(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("core:picklist", args=["industry"]),
        {"label": "Software again", "key": "software", "definition": "", "color": ""},
    )
    assert response.status_code == 200
    assert b"form-errors" in response.content or b"field-error" in response.content
    assert PicklistValue.objects.filter(picklist__key="industry", key="software").count() == 1


def test_an_administrator_edits_a_value_and_sees_the_retire_form(client, admin_user, value_of):
    event = value_of("lead_source", "event")
    client.force_login(admin_user)
    url = reverse("core:picklist-value-edit", args=["lead_source", event.pk])
    page = client.get(url)
    assert b"Retire" in page.content
    assert b"Keep it on those records" in page.content
    response = client.post(
        url,
        {"label": "Trade show", "key": "event", "definition": "Met at a fair.", "color": "blue"},
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.label, event.color) == ("Trade show", "blue")
