"""The validation-rules API: administrators create rules from the text or the JSON form, get both
back, see conditions that do not fit named with their position, and enable or disable rules;
others are refused and nothing changes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport.core.models import AuditEntry
from rapport.quality.rules.models import ValidationRule
from rapport.quality.rules.tests.test_rule_required_when_stage import RULE

pytestmark = pytest.mark.django_db
URL = "/api/v1/validation-rules/"


def test_a_rule_written_as_text_comes_back_as_json_and_text(token_client):
    response = token_client.post(URL, RULE, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["applies_when"] == {"field": "stage", "op": ">=", "value": "proposal"}
    assert body["condition_text"] == RULE["condition"]
    assert body["is_active"] is True
    rule = ValidationRule.objects.get(pk=body["id"])
    assert AuditEntry.objects.filter(record_type="validation_rule", object_id=rule.pk).exists()


def test_a_rule_written_as_json_is_accepted(token_client):
    data = {**RULE, "applies_when": None, "condition": {"field": "amount", "op": ">", "value": 0}}
    response = token_client.post(URL, data, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["condition_text"] == "amount > 0"


def test_a_condition_naming_an_unknown_field_is_refused_with_its_position(token_client):
    response = token_client.post(URL, {**RULE, "condition": "amount > 0 and colour = 1"},
                                 format="json")  # fmt: skip
    assert response.status_code == 400
    text = str(response.json())
    assert "colour" in text
    assert "column 16" in text
    assert not ValidationRule.objects.exists()


def test_an_unknown_message_field_is_refused(token_client):
    response = token_client.post(URL, {**RULE, "field_names": ["colour"]}, format="json")
    assert response.status_code == 400
    assert "colour" in str(response.json())


def test_disabling_a_rule_is_a_patch_of_is_active(token_client, make_rule):
    rule = make_rule(**RULE)
    response = token_client.patch(f"{URL}{rule.pk}/", {"is_active": False}, format="json")
    assert response.status_code == 200
    rule.refresh_from_db()
    assert rule.is_active is False


def test_a_rep_may_neither_read_nor_write_rules(rep_api, make_rule):
    rule = make_rule(**RULE)
    assert rep_api.get(URL).status_code == 403
    response = rep_api.patch(f"{URL}{rule.pk}/", {"is_active": False}, format="json")
    assert response.status_code == 403
    assert rep_api.post(URL, RULE, format="json").status_code == 403
    rule.refresh_from_db()
    assert rule.is_active is True
    assert ValidationRule.objects.count() == 1


def test_the_list_takes_the_same_queries_for_2_or_20_rules(token_client, make_rule):
    for i in range(2):
        make_rule(**{**RULE, "name": f"Rule {i}"})
    token_client.get(URL)
    with CaptureQueriesContext(connection) as few:
        token_client.get(URL)
    for i in range(2, 20):
        make_rule(**{**RULE, "name": f"Rule {i}"})
    with CaptureQueriesContext(connection) as many:
        assert len(token_client.get(URL).json()["results"]) == 20
    assert len(many) == len(few)
