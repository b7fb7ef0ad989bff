"""The sales process Rapport starts with."""

from __future__ import annotations

import pytest

from rapport.pipeline.defaults import stages_ensure_defaults
from rapport.pipeline.models import MethodologyStep, Stage

pytestmark = pytest.mark.django_db


def test_the_migration_seeds_the_default_stages_in_order() -> None:
    assert list(Stage.objects.values_list("key", flat=True)) == [
        "prospecting",
        "discovery",
        "solution",
        "proposal",
        "negotiation",
        "closed_won",
        "closed_lost",
    ]


def test_each_stage_has_a_kind_probability_and_customer_facing_label() -> None:
    won = Stage.objects.get(key="closed_won")
    lost = Stage.objects.get(key="closed_lost")
    proposal = Stage.objects.get(key="proposal")
    assert (won.kind, won.probability, won.customer_label) == ("won", 100, "Purchased")
    assert (lost.kind, lost.probability, lost.customer_label) == ("lost", 0, "Chose another way")
    assert proposal.customer_label == "Reviewing a proposal"
    assert proposal.probability == 60
    assert proposal.required_fields == ["amount", "forecast_close_date"]


def test_open_stages_have_methodology_steps_with_due_days() -> None:
    steps = MethodologyStep.objects.filter(stage__key="discovery").order_by("sort_order")
    assert [(s.name, s.due_in_days) for s in steps] == [
        ("Discovery call", 3),
        ("Identify decision makers", 5),
    ]
    assert not MethodologyStep.objects.filter(stage__kind__in=["won", "lost"]).exists()


def test_seeding_again_creates_nothing_and_keeps_an_administrators_changes() -> None:
    Stage.objects.filter(key="discovery").update(name="Qualify")
    MethodologyStep.objects.filter(name="Run a demo").delete()
    assert stages_ensure_defaults() == 0
    assert Stage.objects.get(key="discovery").name == "Qualify"
    assert not MethodologyStep.objects.filter(name="Run a demo").exists()
