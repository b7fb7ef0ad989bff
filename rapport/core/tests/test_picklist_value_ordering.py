"""Values keep their order; administrators move them up and down, and each move is audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rapport.core.models import AuditEntry, Picklist, PicklistValue
from rapport.core.picklists import picklist_value_create, picklist_value_reorder

pytestmark = pytest.mark.django_db


def _labels(picklist_key: str) -> list[str]:
    return [v.label for v in PicklistValue.objects.filter(picklist__key=picklist_key)]


def test_values_come_in_their_seeded_order() -> None:
    assert _labels("title_level") == ["C-level", "VP", "Director", "Manager", "Staff"]


def test_a_new_value_goes_to_the_end_and_is_audited(admin_user) -> None:
    picklist = Picklist.objects.get(key="title_level")
    value = picklist_value_create(
        picklist=picklist,
        key="board",
        label="Board member",
        definition="Sits on the board.",
        acting_user=admin_user,
    )
    assert _labels("title_level")[-1] == "Board member"
    entry = AuditEntry.objects.get(record_type="picklist_value", object_id=value.pk)
    assert (entry.action, entry.actor_id) == ("create", admin_user.pk)


def test_moving_a_value_up_swaps_it_with_the_one_above(admin_user, value_of) -> None:
    picklist_value_reorder(
        value=value_of("title_level", "director"), offset=-1, acting_user=admin_user
    )
    assert _labels("title_level") == ["C-level", "Director", "VP", "Manager", "Staff"]
    moved = AuditEntry.objects.filter(record_type="picklist_value", action="update")
    assert moved.count() == 2  # the two values that swapped places


def test_moving_the_first_value_up_changes_nothing(admin_user, value_of) -> None:
    picklist_value_reorder(
        value=value_of("title_level", "c_level"), offset=-1, acting_user=admin_user
    )
    assert _labels("title_level") == ["C-level", "VP", "Director", "Manager", "Staff"]
    assert not AuditEntry.objects.filter(record_type="picklist_value").exists()


def test_the_admin_page_moves_a_value_down_and_answers_htmx_with_the_table(
    client, admin_user, value_of
) -> None:
    client.force_login(admin_user)
    url = reverse(
        "core:picklist-value-move", args=["title_level", value_of("title_level", "vp").pk]
    )
    response = client.post(url, {"direction": "down"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert b'id="picklist-values"' in response.content
    assert b"<html" not in response.content
    assert _labels("title_level") == ["C-level", "Director", "VP", "Manager", "Staff"]


def test_the_api_moves_a_value_up(token_client, value_of) -> None:
    value = value_of("title_level", "staff")
    response = token_client.post(
        f"/api/v1/picklists/title_level/values/{value.pk}/move/", {"direction": "up"}, format="json"
    )
    assert response.status_code == 200
    assert [v["key"] for v in response.json()["values"]][-2:] == ["staff", "manager"]
