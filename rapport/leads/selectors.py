"""Permission-aware reads of leads: lists with completeness in SQL, a lead's qualification panel,
status history, and the suggestions a conversion offers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Count,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce, NullIf
from django.http import Http404

from rapport.access import permissions
from rapport.core.models import PicklistValue
from rapport.leads.models import (
    Lead,
    LeadStatusChange,
    QualificationAnswer,
    QualificationQuestion,
    WebForm,
)

LEAD = "lead"


@dataclass(frozen=True)
class Completeness:
    """How much of the qualification a lead has answered."""

    answered: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0


def qualification_completeness(lead: Lead) -> Completeness:
    """Answered active questions / active questions (retired questions do not count)."""
    total = QualificationQuestion.objects.filter(is_active=True).count()
    answered = QualificationAnswer.objects.filter(lead=lead, question__is_active=True).count()
    return Completeness(answered=answered, total=total)


def with_completeness(queryset: QuerySet[Lead]) -> QuerySet[Lead]:
    """Annotate `answered_count`, `question_count` and `completeness` (0 to 100) in SQL."""
    answered = (
        QualificationAnswer.objects.filter(lead_id=OuterRef("pk"), question__is_active=True)
        .order_by()
        .values("lead_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    total = (
        QualificationQuestion.objects.filter(is_active=True)
        .order_by()
        .annotate(one=Value(1))
        .values("one")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(
        answered_count=Coalesce(Subquery(answered, output_field=IntegerField()), 0),
        question_count=Coalesce(Subquery(total, output_field=IntegerField()), 0),
    ).annotate(
        completeness=Coalesce(
            Cast(
                Cast(F("answered_count"), FloatField())
                * 100.0
                / NullIf(Cast(F("question_count"), FloatField()), 0.0),
                IntegerField(),
            ),
            0,
        )
    )


def lead_list(*, viewer: Any) -> QuerySet[Lead]:
    """The leads the viewer may see, with status, source and owner loaded and completeness."""
    queryset = Lead.objects.select_related("status", "source", "owner")
    return with_completeness(permissions.scope_queryset(viewer, LEAD, queryset))


def lead_for_user(*, user: Any, pk: int, action: str = "read") -> Lead:
    """A lead the person may `action` (Http404 when out of sight, PermissionDenied else)."""
    lead = (
        Lead.objects.select_related(
            "status",
            "source",
            "owner",
            "industry",
            "title_level",
            "web_form",
            "converted_account",
            "converted_contact",
            "converted_opportunity",
            "converted_by",
        )
        .filter(pk=pk)
        .first()
    )
    if lead is None:
        raise Http404("No such lead.")
    permissions.check(user, action, LEAD, lead)
    return lead


@dataclass(frozen=True)
class QuestionRow:
    """One question on a lead's qualification panel, with its possible answers."""

    question: QualificationQuestion
    options: tuple[PicklistValue, ...]
    answer: PicklistValue | None


def qualification_panel(lead: Lead) -> list[QuestionRow]:
    """The active questions in order, their active answers (plus the lead's current one, even
    when it was retired since) and the lead's answers: three queries."""
    questions = list(QualificationQuestion.objects.filter(is_active=True).order_by("sort_order"))
    answers = {
        a.question_id: a.value
        for a in QualificationAnswer.objects.select_related("value").filter(
            lead=lead, question__in=questions
        )
    }
    values: dict[int, list[PicklistValue]] = {}
    for value in PicklistValue.objects.filter(
        picklist_id__in={q.picklist_id for q in questions}
    ).order_by("sort_order", "id"):
        values.setdefault(value.picklist_id, []).append(value)
    rows = []
    for question in questions:
        answer = answers.get(question.pk)
        options = tuple(
            v
            for v in values.get(question.picklist_id, [])
            if v.is_active or (answer is not None and v.pk == answer.pk)
        )
        rows.append(QuestionRow(question=question, options=options, answer=answer))
    return rows


def lead_answers(lead: Lead) -> QuerySet[QualificationAnswer]:
    """A lead's answers (retired questions too), in question order."""
    return QualificationAnswer.objects.select_related("question", "value", "answered_by").filter(
        lead=lead
    )


def lead_status_history(lead: Lead) -> QuerySet[LeadStatusChange]:
    """A lead's status changes, newest first."""
    return (
        LeadStatusChange.objects.select_related("from_status", "to_status", "changed_by")
        .filter(lead=lead)
        .order_by("-changed_at", "-id")
    )


def questions_with_picklists(*, include_retired: bool = True) -> QuerySet[QualificationQuestion]:
    """The qualification questions in the order a rep asks them."""
    queryset = QualificationQuestion.objects.select_related("picklist").order_by("sort_order", "id")
    return queryset if include_retired else queryset.filter(is_active=True)


def web_forms(*, viewer: Any) -> QuerySet[WebForm]:
    """The web forms the viewer may see."""
    return permissions.scope_queryset(
        viewer,
        "web_form",
        WebForm.objects.select_related("owner", "source").prefetch_related(
            Prefetch("questions", queryset=QualificationQuestion.objects.order_by("sort_order"))
        ),
    )


def active_web_form(key: str) -> WebForm | None:
    """The web form behind a public address, with its questions and their answers loaded."""
    return (
        WebForm.objects.select_related("owner", "source")
        .prefetch_related(
            Prefetch(
                "questions",
                queryset=QualificationQuestion.objects.filter(is_active=True)
                .select_related("picklist")
                .order_by("sort_order"),
            )
        )
        .filter(key=key)
        .first()
    )


def answer_options(questions: list[QualificationQuestion]) -> dict[int, list[PicklistValue]]:
    """The active answers of each question's picklist, by picklist id (one query)."""
    options: dict[int, list[PicklistValue]] = {}
    for value in PicklistValue.objects.filter(
        picklist_id__in={q.picklist_id for q in questions}, is_active=True
    ).order_by("sort_order", "id"):
        options.setdefault(value.picklist_id, []).append(value)
    return options


def status_choices(lead: Lead) -> list[PicklistValue]:
    """The statuses a lead's page offers: the active ones but "converted" (conversion sets it),
    plus the lead's current one."""
    return list(
        PicklistValue.objects.filter(picklist__key="lead_status")
        .filter(Q(is_active=True) | Q(pk=lead.status_id))
        .exclude(key="converted")
        .order_by("sort_order", "id")
    )
