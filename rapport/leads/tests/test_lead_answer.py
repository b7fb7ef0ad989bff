"""Answering qualification questions: only the question's active answers, errors name the
question, several answers are saved together or not at all."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from rapport.core.models import AuditEntry, PicklistValue
from rapport.leads import services
from rapport.leads.models import QualificationAnswer
from rapport.leads.tests.helpers import make_lead, question, value

pytestmark = pytest.mark.django_db


def test_an_answer_is_saved_with_who_gave_it(rep) -> None:
    lead = make_lead(rep)
    services.lead_answer(
        acting_user=rep,
        lead=lead,
        question=question("decision_timeline"),
        value=value("decision_timeline", "90_days"),
    )
    answer = QualificationAnswer.objects.get(lead=lead)
    assert answer.value.label == "90 days"
    assert answer.answered_by == rep


def test_answering_again_replaces_the_answer_and_is_audited(rep) -> None:
    lead = make_lead(rep)
    q = question("budget_range")
    services.lead_answer(
        acting_user=rep, lead=lead, question=q, value=value("budget_range", "none")
    )
    services.lead_answer(
        acting_user=rep, lead=lead, question=q, value=value("budget_range", "10k_50k")
    )
    assert QualificationAnswer.objects.get(lead=lead).value.key == "10k_50k"
    entry = AuditEntry.objects.filter(record_type="lead", object_id=lead.pk).latest("id")
    assert entry.changes == {
        "answer:budget_range": {"old": "No budget yet", "new": "10,000 to 50,000"}
    }


def test_an_answer_from_another_list_is_refused_naming_the_question(rep) -> None:
    lead = make_lead(rep)
    with pytest.raises(ValidationError) as error:
        services.lead_answer(
            acting_user=rep,
            lead=lead,
            question=question("budget_range"),
            value=value("decision_timeline", "30_days"),
        )
    assert list(error.value.message_dict) == ["budget_range"]
    assert "30 days" in error.value.message_dict["budget_range"][0]
    assert not QualificationAnswer.objects.exists()


def test_a_retired_answer_can_no_longer_be_chosen(rep) -> None:
    lead = make_lead(rep)
    PicklistValue.objects.filter(picklist__key="need_level", key="none").update(is_active=False)
    with pytest.raises(ValidationError) as error:
        services.lead_answer(
            acting_user=rep,
            lead=lead,
            question=question("need_level"),
            value=value("need_level", "none"),
        )
    assert "need_level" in error.value.message_dict
    assert not QualificationAnswer.objects.exists()


def test_a_retired_question_can_no_longer_be_answered(rep) -> None:
    lead = make_lead(rep)
    q = question("competition")
    q.is_active = False
    q.save()
    with pytest.raises(ValidationError) as error:
        services.lead_answer(
            acting_user=rep, lead=lead, question=q, value=value("competition", "none")
        )
    assert "competition" in error.value.message_dict


def test_no_value_clears_the_answer(rep) -> None:
    lead = make_lead(rep)
    q = question("user_count")
    services.lead_answer(acting_user=rep, lead=lead, question=q, value=value("user_count", "1_10"))
    services.lead_answer(acting_user=rep, lead=lead, question=q, value=None)
    assert not QualificationAnswer.objects.filter(lead=lead).exists()


def test_several_answers_are_saved_together_or_not_at_all(rep) -> None:
    lead = make_lead(rep)
    with pytest.raises(ValidationError) as error:
        services.lead_answers_set(
            acting_user=rep,
            lead=lead,
            answers={
                question("need_level"): value("need_level", "critical"),
                question("company_size"): value("user_count", "1_10"),
            },
        )
    assert list(error.value.message_dict) == ["company_size"]
    assert not QualificationAnswer.objects.exists()
    services.lead_answers_set(
        acting_user=rep,
        lead=lead,
        answers={
            question("need_level"): value("need_level", "critical"),
            question("company_size"): value("company_size", "51_200"),
        },
    )
    assert QualificationAnswer.objects.filter(lead=lead).count() == 2


def test_someone_who_may_only_read_leads_cannot_answer(rep, make_user) -> None:
    lead = make_lead(rep)
    executive = make_user(role="executive")
    with pytest.raises(PermissionDenied):
        services.lead_answer(
            acting_user=executive,
            lead=lead,
            question=question("need_level"),
            value=value("need_level", "critical"),
        )
    assert not QualificationAnswer.objects.exists()
