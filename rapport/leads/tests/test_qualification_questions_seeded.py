"""A fresh Rapport asks ten qualification questions, in the order a rep asks them."""

from __future__ import annotations

import pytest

from rapport.leads.models import QualificationQuestion
from rapport.leads.services import qualification_questions_ensure_defaults

pytestmark = pytest.mark.django_db

ORDER = [
    "need_level",
    "budget_range",
    "decision_timeline",
    "authority_level",
    "decision_process",
    "current_solution",
    "competition",
    "company_size",
    "user_count",
    "next_step_agreed",
]


def test_ten_questions_are_seeded_in_the_order_a_rep_asks_them() -> None:
    questions = list(QualificationQuestion.objects.select_related("picklist"))
    assert [q.key for q in questions] == ORDER
    assert all(q.is_active for q in questions)


def test_each_question_takes_its_answers_from_the_picklist_of_the_same_name() -> None:
    for question in QualificationQuestion.objects.select_related("picklist"):
        assert question.picklist.key == question.key


def test_the_timeline_question_reads_as_a_rep_asks_it() -> None:
    timeline = QualificationQuestion.objects.get(key="decision_timeline")
    assert timeline.text == "Decision timeline: when will they decide?"
    labels = list(timeline.picklist.values.values_list("label", flat=True))
    assert labels == ["30 days", "90 days", "6 months", "12 months"]


def test_seeding_again_leaves_an_admins_edits_alone() -> None:
    QualificationQuestion.objects.filter(key="budget_range").update(text="Money?", is_active=False)
    assert qualification_questions_ensure_defaults() == 0
    budget = QualificationQuestion.objects.get(key="budget_range")
    assert (budget.text, budget.is_active) == ("Money?", False)
