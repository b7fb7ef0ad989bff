"""The validation-rule pages: administrators list, create (the text form, checked live) and edit
rules; others are refused and nothing changes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from rapport.quality.rules.models import ValidationRule
from rapport.quality.rules.tests.test_rule_required_when_stage import RULE

pytestmark = pytest.mark.django_db


def _post_data(**changes: object) -> dict[str, object]:
    data = {**RULE, "kind": "required_when", "field_names": ", ".join(RULE["field_names"]),
            "sort_order": 0, "is_active": "on"}  # fmt: skip
    data.update(changes)
    return data


def test_an_administrator_creates_a_rule_from_the_text_form(admin_client):
    response = admin_client.post(reverse("rules:rule-create"), _post_data())
    rule = ValidationRule.objects.get()
    assert response.status_code == 302
    assert rule.field_names == ["amount", "forecast_close_date"]
    assert rule.applies_when == {"field": "stage", "op": ">=", "value": "proposal"}
    listing = admin_client.get(reverse("rules:rule-list")).content.decode()
    assert "Sized deals" in listing


def test_a_condition_that_does_not_fit_is_shown_on_its_field(admin_client):
    response = admin_client.post(
        reverse("rules:rule-create"), _post_data(condition='amount > 0 and stage = "somewhere"')
    )
    errors = response.context["form"].errors["condition"]
    assert "somewhere" in " ".join(errors)
    assert "column 16" in " ".join(errors)
    assert not ValidationRule.objects.exists()


def test_an_edit_keeps_the_text_form(admin_client, make_rule):
    rule = make_rule(**RULE)
    url = reverse("rules:rule-edit", args=[rule.pk])
    page = admin_client.get(url).content.decode()
    assert "amount is not empty and forecast_close_date is not empty" in page
    admin_client.post(url, _post_data(condition="amount > 10", name="Bigger"))
    rule.refresh_from_db()
    assert rule.condition == {"field": "amount", "op": ">", "value": 10}
    assert rule.name == "Bigger"


def test_the_live_check_names_the_problem_and_its_position(admin_client):
    response = admin_client.post(
        reverse("rules:rule-check"),
        {"record_type": "opportunity", "target": "condition", "condition": "amount >"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "Expected a value" in html
    assert "column 9" in html
    assert "<html" not in html


def test_the_live_check_counts_the_matching_records(admin_client, make_deal):
    make_deal("proposal")
    response = admin_client.post(
        reverse("rules:rule-check"),
        {
            "record_type": "opportunity",
            "target": "applies_when",
            "applies_when": 'stage >= "proposal"',
        },
    )
    assert "1 record matches it now" in response.content.decode()


def test_a_rep_is_refused_and_nothing_changes(rep_client, make_rule):
    rule = make_rule(**RULE)
    assert rep_client.get(reverse("rules:rule-list")).status_code == 403
    response = rep_client.post(reverse("rules:rule-toggle", args=[rule.pk]))
    assert response.status_code == 403
    assert rep_client.post(reverse("rules:rule-create"), _post_data()).status_code == 403
    rule.refresh_from_db()
    assert rule.is_active is True
    assert ValidationRule.objects.count() == 1
