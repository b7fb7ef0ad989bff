"""Retiring a value can move every record that uses it to another value, in one audited step."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rapport.core.models import AuditEntry
from rapport.core.picklists import (
    PicklistRemapError,
    picklist_usage_counts,
    picklist_value_retire,
    usages_of,
)

# Transactional (the test record type's table is created with the schema editor), with the
# seeded rows serialized and put back, like the other transactional tests.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_retiring_with_a_remap_moves_the_records_and_writes_one_audit_entry(
    deal_model, admin_user, value_of, django_assert_max_num_queries
) -> None:
    event, webinar = value_of("lead_source", "event"), value_of("lead_source", "webinar")
    deal_model.objects.bulk_create(
        [deal_model(name=f"Deal {n}", source=event) for n in range(5)]
        + [deal_model(name="Other", source=value_of("lead_source", "referral"))]
    )

    # Set-based: a constant per field using the list, never one query per record.
    with django_assert_max_num_queries(7 + len(usages_of("lead_source"))):
        result = picklist_value_retire(value=event, acting_user=admin_user, remap_to=webinar)

    assert result.moved == 5
    assert deal_model.objects.filter(source=webinar).count() == 5
    assert not deal_model.objects.filter(source=event).exists()
    event.refresh_from_db()
    assert not event.is_active
    entry = AuditEntry.objects.get(record_type="picklist_value", object_id=event.pk)
    assert entry.action == "deactivate"
    assert entry.actor_id == admin_user.pk
    assert entry.changes["records_moved"]["new"] == 5
    assert entry.changes["moved_to"]["new"]["id"] == webinar.pk


def test_a_remap_to_a_value_of_another_list_is_refused_and_changes_nothing(
    deal_model, admin_user, value_of
) -> None:
    event = value_of("lead_source", "event")
    deal = deal_model.objects.create(name="Acme", source=event)
    with pytest.raises(PicklistRemapError):
        picklist_value_retire(
            value=event, acting_user=admin_user, remap_to=value_of("loss_reason", "price")
        )
    deal.refresh_from_db()
    event.refresh_from_db()
    assert deal.source_id == event.pk
    assert event.is_active


def test_the_admin_page_shows_how_many_records_use_each_value_and_remaps(
    deal_model, client, admin_user, value_of
) -> None:
    event, webinar = value_of("lead_source", "event"), value_of("lead_source", "webinar")
    deal_model.objects.bulk_create([deal_model(name=f"Deal {n}", source=event) for n in range(3)])
    assert picklist_usage_counts(event.picklist) == {event.pk: 3}
    client.force_login(admin_user)

    edit = client.get(reverse("core:picklist-value-edit", args=["lead_source", event.pk]))
    assert b"The 3 records that use it" in edit.content

    url = reverse("core:picklist-value-retire", args=["lead_source", event.pk])
    response = client.post(url, {"remap_to": webinar.pk})
    assert response.status_code == 302
    assert deal_model.objects.filter(source=webinar).count() == 3


def test_the_api_retires_with_remap_to(deal_model, token_client, value_of) -> None:
    event, webinar = value_of("lead_source", "event"), value_of("lead_source", "webinar")
    deal_model.objects.create(name="Acme", source=event)
    response = token_client.post(
        f"/api/v1/picklists/lead_source/values/{event.pk}/retire/",
        {"remap_to": webinar.pk},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["records_moved"] == 1
    assert response.json()["value"]["is_active"] is False
    assert deal_model.objects.get().source_id == webinar.pk


def test_the_api_refuses_a_remap_to_a_retired_value(token_client, admin_user, value_of) -> None:
    event, webinar = value_of("lead_source", "event"), value_of("lead_source", "webinar")
    picklist_value_retire(value=webinar, acting_user=admin_user)
    response = token_client.post(
        f"/api/v1/picklists/lead_source/values/{event.pk}/retire/",
        {"remap_to": webinar.pk},
        format="json",
    )
    assert response.status_code == 400
    assert "remap_to" in response.json()["error"]["fields"]
    event.refresh_from_db()
    assert event.is_active
