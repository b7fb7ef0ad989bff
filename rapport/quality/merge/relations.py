"""The merge registrations of customers, leads, pipeline and activities.

They belong with each app (each app would call `registry.register_relation` in its own
`ready()`); they live here until those apps take them over, because this app may not edit
theirs. `tests/test_every_relation_is_registered.py` fails when a new foreign key to a contact,
an account or a lead appears without a registration.
"""

from __future__ import annotations

from django.apps import apps
from django.db import models

from rapport.quality.merge import registry


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
    # One answer per lead and question: the survivor keeps its own.
    registry.register_handler(
        "lead",
        registry.unique_handler(QualificationAnswer, "lead", ("question",)),
        covers=[(QualificationAnswer, "lead")],
    )
    _register_cleaning()


def _register_cleaning() -> None:
    """The cleaning app's status marks (one per contact and kind), when that app has them:
    looked up by name, as cleaning is a sibling app (it could register this itself)."""
    try:
        mark = apps.get_model("cleaning", "ContactStatusMark")
    except LookupError:
        return
    registry.register_handler(
        "contact",
        registry.unique_handler(mark, "contact", ("kind",)),
        covers=[(mark, "contact")],
    )
