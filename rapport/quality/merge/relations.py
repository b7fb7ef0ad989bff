"""The merge registrations of customers, leads, pipeline and activities.

They belong with each app (each app would call `registry.register_relation` in its own
`ready()`); they live here until those apps take them over, because this app may not edit
theirs. `tests/test_every_relation_is_registered.py` fails when a new foreign key to a contact,
an account or a lead appears without a registration.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import models

from rapport.quality.merge import registry


def move_answers(
    survivor: models.Model, others: Sequence[models.Model]
) -> list[registry.Repointed]:
    """One answer per lead and question: the survivor keeps its own answers; a merged-away
    lead's answer to a question the survivor has not answered moves (the first listed wins);
    the rest stay with the merged-away lead, in the recycle bin."""
    from rapport.leads.models import QualificationAnswer

    answered = set(
        QualificationAnswer.objects.filter(lead_id=survivor.pk).values_list(
            "question_id", flat=True
        )
    )
    order = {other.pk: index for index, other in enumerate(others)}
    moving: dict[int, tuple[int, int]] = {}  # question → (answer id, old lead)
    rows = QualificationAnswer.objects.filter(lead_id__in=list(order)).values_list(
        "pk", "question_id", "lead_id"
    )
    for pk, question_id, lead_id in sorted(rows, key=lambda row: (order[row[2]], row[0])):
        if question_id not in answered and question_id not in moving:
            moving[question_id] = (pk, lead_id)
    if not moving:
        return []
    by_lead: dict[int, list[int]] = {}
    for pk, lead_id in moving.values():
        by_lead.setdefault(lead_id, []).append(pk)
    QualificationAnswer.objects.filter(pk__in=[pk for pk, _ in moving.values()]).update(
        lead_id=survivor.pk
    )
    return [
        registry.Repointed(
            registry.model_label(QualificationAnswer), "lead", lead_id, tuple(sorted(ids))
        )
        for lead_id, ids in sorted(by_lead.items())
    ]


def register() -> None:
    from rapport.activities.models import Activity
    from rapport.customers.models import Account, Contact
    from rapport.leads.models import Lead, LeadStatusChange, QualificationAnswer
    from rapport.pipeline.models import Opportunity, Order

    contact_relations: tuple[tuple[type[models.Model], str], ...] = (
        (Activity, "contact"),
        (Opportunity, "contact"),
        (Lead, "converted_contact"),
    )
    account_relations: tuple[tuple[type[models.Model], str], ...] = (
        (Contact, "account"),
        (Account, "parent"),
        (Opportunity, "account"),
        (Order, "account"),
        (Activity, "account"),
        (Lead, "converted_account"),
    )
    lead_relations: tuple[tuple[type[models.Model], str], ...] = (
        (Activity, "lead"),
        (LeadStatusChange, "lead"),
    )
    for record_type, pairs in (
        ("contact", contact_relations),
        ("account", account_relations),
        ("lead", lead_relations),
    ):
        for model, field in pairs:
            registry.register_relation(record_type, model, field)
    registry.register_handler("lead", move_answers, covers=[(QualificationAnswer, "lead")])
