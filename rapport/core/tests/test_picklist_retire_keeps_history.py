"""Retiring a value keeps records that use it readable and valid."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.urls import reverse

from rapport.core.picklists import picklist_value_retire

# Transactional (the test record type's table is created with the schema editor), with the
# seeded rows serialized and put back, like the other transactional tests.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_record_keeps_a_retired_value_and_still_shows_its_label(
    deal_model, admin_user, value_of
) -> None:
    event = value_of("lead_source", "event")
    deal = deal_model.objects.create(name="Acme rollout", source=event)

    picklist_value_retire(value=event, acting_user=admin_user)

    deal = deal_model.objects.select_related("source").get(pk=deal.pk)
    assert deal.source_id == event.pk
    rendered = Template("{{ deal.source }}").render(Context({"deal": deal}))
    assert rendered == "Event"


def test_editing_another_field_of_such_a_record_is_still_valid(
    deal_model, admin_user, value_of
) -> None:
    event = value_of("lead_source", "event")
    deal = deal_model.objects.create(name="Acme rollout", source=event)
    picklist_value_retire(value=event, acting_user=admin_user)

    deal.name = "Acme rollout, phase 2"
    deal.full_clean()  # no error: the record already had the retired value
    deal.save()


def test_the_api_still_lists_a_retired_value_flagged_inactive(token_client, admin_user, value_of):
    event = value_of("lead_source", "event")
    picklist_value_retire(value=event, acting_user=admin_user)
    body = token_client.get("/api/v1/picklists/lead_source/").json()
    listed = {v["key"]: v for v in body["values"]}
    assert listed["event"]["is_active"] is False
    assert listed["event"]["label"] == "Event"


def test_a_retired_value_can_be_reactivated(client, admin_user, value_of) -> None:
    event = value_of("lead_source", "event")
    picklist_value_retire(value=event, acting_user=admin_user)
    client.force_login(admin_user)
    url = reverse("core:picklist-value-reactivate", args=["lead_source", event.pk])
    assert client.post(url).status_code == 302
    event.refresh_from_db()
    assert event.is_active
