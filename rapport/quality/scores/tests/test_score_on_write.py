"""A write through the record services rescores that one record at once."""

from __future__ import annotations

import pytest

from rapport.access import crud
from rapport.leads.models import Lead
from rapport.quality.scores.models import QualityScore
from rapport.quality.scores.tests import helpers

pytestmark = pytest.mark.django_db


def test_creating_and_fixing_a_lead_updates_its_score(admin_user):
    lead: Lead = crud.record_create(
        record_type="lead",
        acting_user=admin_user,
        values={"last_name": "Hopper", "status": helpers.value("lead_status", "new")},
    )
    before = QualityScore.objects.get(record_type="lead", object_id=lead.pk)
    assert {issue["field"] for issue in before.issues} >= {"company", "email"}
    crud.record_update(
        record_type="lead",
        obj=lead,
        acting_user=admin_user,
        values={"first_name": "Grace", "company": "Navy", "email": "grace@example.com"},
    )
    after = QualityScore.objects.get(record_type="lead", object_id=lead.pk)
    assert after.score == 100
    assert after.issues == []
