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


def test_answering_the_qualification_questions_rescores_the_lead(admin_user):
    from rapport.leads import services as lead_services
    from rapport.leads.models import QualificationQuestion

    lead = helpers.lead(admin_user, status="qualified", company="Navy", email="g@navy.mil")
    crud.derived_refresh(record_type="lead", obj=lead, acting_user=admin_user)
    issues = QualityScore.objects.get(record_type="lead", object_id=lead.pk).issues
    assert "qualification" in {issue["field"] for issue in issues}
    question = QualificationQuestion.objects.filter(is_active=True).order_by("sort_order").first()
    assert question is not None
    answer = question.picklist.values.filter(is_active=True).first()
    lead_services.lead_answers_set(acting_user=admin_user, lead=lead, answers={question: answer})
    issues = QualityScore.objects.get(record_type="lead", object_id=lead.pk).issues
    assert "qualification" not in {issue["field"] for issue in issues}


def test_a_call_on_a_stale_lead_rescores_it(admin_user):
    from datetime import timedelta

    from django.utils import timezone

    from rapport.activities import services as activity_services

    lead = helpers.lead(admin_user, company="Navy", email="g@navy.mil", first_name="Grace")
    long_ago = timezone.now() - timedelta(days=200)
    Lead.all_objects.filter(pk=lead.pk).update(updated_at=long_ago, last_touched_at=long_ago)
    lead.refresh_from_db()
    crud.derived_refresh(record_type="lead", obj=lead, acting_user=admin_user)
    stale = QualityScore.objects.get(record_type="lead", object_id=lead.pk)
    assert stale.score < 100
    activity_services.activity_create(
        acting_user=admin_user,
        values={"kind": "call", "subject": "Intro call", "lead": lead},
    )
    assert QualityScore.objects.get(record_type="lead", object_id=lead.pk).score == 100
