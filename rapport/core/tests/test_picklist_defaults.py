"""The default picklists are seeded by the migration, and seeding again changes nothing."""

from __future__ import annotations

import pytest

from rapport.core.models import Picklist, PicklistValue
from rapport.core.picklist_defaults import DEFAULT_PICKLISTS
from rapport.core.picklists import picklists_ensure_defaults

pytestmark = pytest.mark.django_db

NAMED_BY_THE_SALES_CORE = {
    "lead_source",
    "lead_status",
    "industry",
    "title_level",
    "decision_timeline",
    "budget_range",
    "authority_level",
    "loss_reason",
    "call_outcome",
}


def test_the_migration_seeds_every_picklist_the_sales_core_names() -> None:
    assert set(Picklist.objects.values_list("key", flat=True)) >= NAMED_BY_THE_SALES_CORE
    timeline = PicklistValue.objects.filter(picklist__key="decision_timeline")
    assert [v.label for v in timeline] == ["30 days", "90 days", "6 months", "12 months"]
    outcomes = set(
        PicklistValue.objects.filter(picklist__key="call_outcome").values_list("key", flat=True)
    )
    assert {"voicemail", "no_answer", "connected"} <= outcomes


def test_every_seeded_value_has_a_definition() -> None:
    assert not PicklistValue.objects.filter(definition="").exists()
    assert PicklistValue.objects.count() == sum(len(p.values) for p in DEFAULT_PICKLISTS)


def test_seeding_again_creates_nothing_and_keeps_what_administrators_changed() -> None:
    event = PicklistValue.objects.get(picklist__key="lead_source", key="event")
    event.label = "Trade show"
    event.is_active = False
    event.save()
    before = PicklistValue.objects.count()

    assert picklists_ensure_defaults() == 0

    assert PicklistValue.objects.count() == before
    event.refresh_from_db()
    assert (event.label, event.is_active) == ("Trade show", False)


def test_seeding_puts_back_a_missing_list() -> None:
    # A list no qualification question points at (those are protected from deletes).
    PicklistValue.objects.filter(picklist__key="order_status").delete()
    Picklist.objects.filter(key="order_status").delete()
    assert picklists_ensure_defaults() == 5
    assert Picklist.objects.filter(key="order_status").exists()
