"""Rules hold for every write that goes through crud — the path imports (issue 6), dry runs and
bulk edits take — not only for pages and the API."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from rapport.access import crud
from rapport.core.models import PicklistValue
from rapport.leads.models import Lead

pytestmark = pytest.mark.django_db


def _values(rep, **more):
    status = PicklistValue.objects.get(picklist__key="lead_status", key="new")
    return {"last_name": "Ng", "company": "Ng Ltd", "owner": rep, "status": status, **more}


RULE = {
    "record_type": "lead",
    "name": "Reachable",
    "field_names": ["email", "phone"],
    "condition": "email is not empty or phone is not empty",
    "message": "Give an e-mail address or a phone number",
}


def test_a_dry_run_names_the_fields_and_the_rule(make_rule, rep):
    make_rule(**RULE)
    with pytest.raises(ValidationError) as caught:
        crud.prepare(record_type="lead", obj=Lead(**_values(rep)), acting_user=rep)
    assert set(caught.value.message_dict) == {"email", "phone"}
    assert "Reachable" in caught.value.message_dict["email"][0]


def test_a_system_write_without_a_person_is_refused_too(make_rule, rep):
    make_rule(**RULE)
    with pytest.raises(ValidationError) as caught:
        crud.record_create(record_type="lead", acting_user=None, values=_values(rep))
    assert "Reachable" in caught.value.message_dict["phone"][0]
    assert not Lead.all_objects.filter(last_name="Ng").exists()


def test_a_record_that_meets_the_rule_is_saved(make_rule, rep):
    make_rule(**RULE)
    values = _values(rep, phone="+4930123456")
    lead: Lead = crud.record_create(record_type="lead", acting_user=rep, values=values)
    assert Lead.objects.filter(pk=lead.pk).exists()
