"""The rules Rapport ships with, disabled: an administrator reviews the records that break one on
its page, then enables it. (Enabled out of the box they would refuse edits of existing demo and
customer data that predates them.)"""

from __future__ import annotations

from typing import Any

DEFAULT_RULES: list[dict[str, Any]] = [
    {
        "record_type": "opportunity",
        "name": "Sized from Proposal on",
        "kind": "required_when",
        "field_names": ["amount", "forecast_close_date"],
        "applies_when": {"field": "stage", "op": ">=", "value": "proposal"},
        "condition": {
            "all": [
                {"field": "amount", "op": "is_not_empty"},
                {"field": "forecast_close_date", "op": "is_not_empty"},
            ]
        },
        "message": "From Proposal on, a deal needs an amount and a forecast close date.",
        "sort_order": 10,
    },
    {
        "record_type": "opportunity",
        "name": "Closes after it opens",
        "kind": "cross_field",
        "field_names": ["forecast_close_date"],
        "applies_when": {"field": "forecast_close_date", "op": "is_not_empty"},
        "condition": {
            "field": "forecast_close_date",
            "op": ">=",
            "value": {"field": "created_at"},
        },
        "message": "The forecast close date cannot be before the deal was created.",
        "sort_order": 20,
    },
    {
        "record_type": "lead",
        "name": "A way to reach the lead",
        "kind": "required_when",
        "field_names": ["email", "phone"],
        "applies_when": None,
        "condition": {
            "any": [
                {"field": "email", "op": "is_not_empty"},
                {"field": "phone", "op": "is_not_empty"},
            ]
        },
        "message": "Give an e-mail address or a phone number.",
        "sort_order": 10,
    },
]


def rules_ensure_defaults(model: Any) -> None:
    """Add the default rules that are missing (by record type and name), disabled."""
    for values in DEFAULT_RULES:
        model.objects.get_or_create(
            record_type=values["record_type"],
            name=values["name"],
            defaults={**values, "is_active": False},
        )
