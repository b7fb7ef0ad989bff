"""Every foreign key to a contact, an account or a lead says what a merge does with it."""

from __future__ import annotations

import pytest
from django.db import models

from rapport.core import records
from rapport.quality.merge import registry
from rapport.quality.merge.services import MERGEABLE_TYPES


def _unregistered(record_type: str) -> list[str]:
    model = records.get(record_type).model
    covered = registry.covered(record_type)
    missing = []
    for relation in model._meta.related_objects:
        if relation.many_to_many:
            continue
        related = relation.related_model
        assert isinstance(related, type)
        assert issubclass(related, models.Model)
        if registry.Relation(related, relation.field.name) not in covered:
            missing.append(f"{related._meta.label}.{relation.field.name}")
    return missing


@pytest.mark.parametrize("record_type", MERGEABLE_TYPES)
def test_no_foreign_key_to_a_mergeable_type_is_left_unregistered(record_type):
    assert _unregistered(record_type) == [], (
        "Register these with rapport.quality.merge.registry (register_relation, "
        "register_handler or register_kept) so merges re-point or keep them."
    )


def test_a_new_foreign_key_without_a_registration_is_reported(monkeypatch):
    monkeypatch.setattr(registry, "_relations", {"contact": []})
    assert "activities.Activity.contact" in _unregistered("contact")
