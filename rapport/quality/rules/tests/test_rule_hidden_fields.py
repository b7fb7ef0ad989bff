"""A rule on a field hidden from the person (field-level security) still holds, but its message
does not show them the field: it names the rule, on the whole record."""

from __future__ import annotations

import pytest

from rapport.access.permissions import field_permission_set
from rapport.pipeline.models import Opportunity
from rapport.quality.rules.tests.test_rule_required_when_stage import RULE

pytestmark = pytest.mark.django_db


def test_a_rule_on_a_hidden_field_names_only_the_rule(make_rule, make_deal, rep_api, rep):
    make_rule(**{**RULE, "field_names": ["amount"], "message": "Amount secret rule says no"})
    deal = make_deal("proposal")
    field_permission_set(
        acting_user=None, role=rep.role, record_type="opportunity", field_name="amount",
        access="hidden",
    )  # fmt: skip
    response = rep_api.patch(
        f"/api/v1/opportunities/{deal.pk}/", {"name": "Renamed"}, format="json"
    )
    assert response.status_code == 400
    body = str(response.json())
    assert "Sized deals" in body
    assert "Amount secret rule says no" not in body
    assert Opportunity.objects.get(pk=deal.pk).name == "Big deal"
