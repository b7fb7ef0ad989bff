"""A picklist field takes only active values of its own list, and says which field is wrong."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import models

from rapport.core.picklists import picklist_value_retire, usages_of

# Transactional (the test record type's table is created with the schema editor), with the
# seeded rows serialized and put back, like the other transactional tests.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_value_of_another_list_is_refused_naming_the_field(deal_model, value_of) -> None:
    deal = deal_model(name="Acme", source=value_of("loss_reason", "price"))
    with pytest.raises(ValidationError) as refused:
        deal.full_clean()
    message = " ".join(refused.value.message_dict["source"])
    assert "Lead source" in message
    assert "Loss reason" in message


def test_a_retired_value_cannot_be_chosen_for_a_new_record(deal_model, admin_user, value_of):
    event = value_of("lead_source", "event")
    picklist_value_retire(value=event, acting_user=admin_user)
    with pytest.raises(ValidationError) as refused:
        deal_model(name="Acme", source=event).full_clean()
    assert "retired" in " ".join(refused.value.message_dict["source"])


def test_a_retired_value_cannot_be_newly_chosen_on_an_existing_record(
    deal_model, admin_user, value_of
) -> None:
    event = value_of("lead_source", "event")
    deal = deal_model.objects.create(name="Acme", source=value_of("lead_source", "website"))
    picklist_value_retire(value=event, acting_user=admin_user)
    deal.source = event
    with pytest.raises(ValidationError):
        deal.full_clean()


def test_an_active_value_of_the_right_list_is_accepted(deal_model, value_of) -> None:
    deal_model(name="Acme", source=value_of("lead_source", "event"), loss_reason=None).full_clean()


def test_the_registry_knows_which_fields_use_a_list(deal_model) -> None:
    assert (deal_model, "source") in [(u.model, u.field_name) for u in usages_of("lead_source")]


def test_the_field_points_at_picklist_values_protected_and_limited(deal_model) -> None:
    field = deal_model._meta.get_field("source")
    assert field.get_limit_choices_to() == {"picklist__key": "lead_source"}
    assert field.remote_field.on_delete is models.PROTECT
    _name, path, args, kwargs = field.deconstruct()
    assert (path, args) == ("rapport.core.picklists.PicklistField", ["lead_source"])
    assert kwargs["to"] == "core.picklistvalue"  # a string, as migration state requires
