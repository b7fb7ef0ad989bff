"""Completeness: answered active questions out of the active questions, the same in Python and
in the list's SQL."""

from __future__ import annotations

from typing import Any

import pytest

from rapport.leads import selectors, services
from rapport.leads.models import Lead, QualificationQuestion
from rapport.leads.tests.helpers import make_lead, question, value

pytestmark = pytest.mark.django_db


def _leads(viewer: Any) -> Any:
    """The list's queryset, typed loosely: its annotations are not model fields."""
    return selectors.lead_list(viewer=viewer)


def _answer(rep, lead, key: str, answer: str) -> None:
    services.lead_answer(
        acting_user=rep, lead=lead, question=question(key), value=value(key, answer)
    )


def test_a_lead_without_answers_is_zero_percent_complete(rep) -> None:
    lead = make_lead(rep)
    assert selectors.qualification_completeness(lead) == selectors.Completeness(0, 10)
    assert _leads(rep).get(pk=lead.pk).completeness == 0


def test_three_answers_out_of_ten_questions_is_thirty_percent(rep) -> None:
    lead = make_lead(rep)
    _answer(rep, lead, "need_level", "critical")
    _answer(rep, lead, "budget_range", "none")
    _answer(rep, lead, "decision_timeline", "30_days")
    assert selectors.qualification_completeness(lead).percent == 30
    annotated = _leads(rep).get(pk=lead.pk)
    assert (annotated.answered_count, annotated.question_count, annotated.completeness) == (
        3,
        10,
        30,
    )


def test_retired_questions_count_neither_as_asked_nor_as_answered(rep) -> None:
    lead = make_lead(rep)
    _answer(rep, lead, "need_level", "critical")
    _answer(rep, lead, "budget_range", "none")
    QualificationQuestion.objects.filter(key="budget_range").update(is_active=False)
    QualificationQuestion.objects.filter(key="competition").update(is_active=False)
    assert selectors.qualification_completeness(lead) == selectors.Completeness(1, 8)
    assert _leads(rep).get(pk=lead.pk).completeness == 12


def test_with_no_active_questions_completeness_is_zero(rep) -> None:
    lead = make_lead(rep)
    QualificationQuestion.objects.update(is_active=False)
    assert selectors.qualification_completeness(lead).percent == 0
    assert _leads(rep).get(pk=lead.pk).completeness == 0


def test_the_list_can_be_sorted_by_completeness(rep) -> None:
    empty = make_lead(rep, last_name="Empty")
    full = make_lead(rep, last_name="Full")
    _answer(rep, full, "need_level", "critical")
    ordered = _leads(rep).order_by("-completeness", "id")
    assert [lead.pk for lead in ordered] == [full.pk, empty.pk]
    assert Lead.objects.count() == 2
