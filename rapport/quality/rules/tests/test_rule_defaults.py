"""The shipped rules fit their record types and are disabled until an administrator enables them."""

from __future__ import annotations

import pytest

from rapport.core import records
from rapport.core.conditions import from_json, validate
from rapport.quality.rules.defaults import DEFAULT_RULES, rules_ensure_defaults
from rapport.quality.rules.models import ValidationRule

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("values", DEFAULT_RULES, ids=lambda v: v["name"])
def test_a_default_rule_fits_its_record_type(values):
    model = records.get(values["record_type"]).model
    validate(from_json(values["condition"]), model)
    if values["applies_when"] is not None:
        validate(from_json(values["applies_when"]), model)
    for name in values["field_names"]:
        model._meta.get_field(name)


def test_the_defaults_are_added_once_and_disabled():
    rules_ensure_defaults(ValidationRule)
    rules_ensure_defaults(ValidationRule)
    assert ValidationRule.objects.count() == len(DEFAULT_RULES)
    assert not ValidationRule.objects.filter(is_active=True).exists()
