"""The validation rules of the clean-data issue hold for imported rows: every kind of rule
rejects the row naming the field and the rule, and nothing of the row is written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rapport.customers.models import Account, Contact
from rapport.imports.models import ImportRow
from rapport.imports.tests.engine_fixtures import run, write_csv
from rapport.quality.rules.models import ValidationRule
from rapport.quality.rules.services import rule_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _only_these_rules(db: None) -> None:
    ValidationRule.objects.all().delete()


def rule(user: Any, **values: Any) -> ValidationRule:
    return rule_create(acting_user=user, values={"is_active": True, **values})


def rejection(batch: Any, line: int) -> list[dict[str, str]]:
    reasons: list[dict[str, str]] = ImportRow.objects.get(
        batch=batch, line=line, verdict="rejected"
    ).reasons
    return reasons


HEADER = ["First name", "Last name", "Email", "Secondary email", "Country", "Postal code"]


@pytest.mark.parametrize(
    ("values", "bad_row", "field"),
    [
        (
            {
                "name": "German postcode",
                "kind": ValidationRule.Kind.REQUIRED_WHEN,
                "field_names": ["postal_code"],
                "applies_when": 'country = "DE"',
                "condition": "postal_code is not empty",
                "message": "German contacts need a postal code",
            },
            ["Ada", "Lang", "ada@acme.example", "", "Germany", ""],
            "postal_code",
        ),
        (
            {
                "name": "Company e-mail",
                "kind": ValidationRule.Kind.FORMAT,
                "field_names": ["email"],
                "condition": 'email is empty or email contains "@acme.example"',
                "message": "E-mail addresses must be at acme.example",
            },
            ["Ada", "Lang", "ada@gmail.com", "", "", ""],
            "email",
        ),
        (
            {
                "name": "Two addresses",
                "kind": ValidationRule.Kind.CROSS_FIELD,
                "field_names": ["secondary_email"],
                "applies_when": "secondary_email is not empty",
                "condition": "secondary_email != email",
                "message": "The second address must differ from the first",
            },
            ["Ada", "Lang", "ada@acme.example", "ada@acme.example", "", ""],
            "secondary_email",
        ),
    ],
    ids=["required-when", "format", "cross-field"],
)
def test_each_kind_of_rule_rejects_the_row_naming_field_and_rule(
    admin_user, tmp_path: Path, values: dict[str, Any], bad_row: list[str], field: str
) -> None:
    made = rule(admin_user, record_type="contact", **values)
    good = ["Grace", "Hopper", "grace@acme.example", "", "Germany", "10115"]
    path = write_csv(tmp_path / "c.csv", [HEADER, good, bad_row])
    batch = run(admin_user, path)
    assert (batch.accepted, batch.rejected) == (1, 1)
    reasons = rejection(batch, 3)
    assert reasons[0]["field"] == field
    assert made.name in reasons[0]["message"]
    assert made.message in reasons[0]["message"]
    assert list(Contact.objects.values_list("last_name", flat=True)) == ["Hopper"]


def test_a_range_rule_rejects_an_account_out_of_range(admin_user, tmp_path: Path) -> None:
    rule(
        admin_user,
        record_type="account",
        name="Headcount",
        kind=ValidationRule.Kind.RANGE,
        field_names=["employees"],
        applies_when="employees is not empty",
        condition="employees >= 1 and employees <= 500000",
        message="Employees must be between 1 and 500,000",
    )
    path = write_csv(
        tmp_path / "a.csv", [["Name", "Employees"], ["Acme", "1.200"], ["Globex", "900000"]]
    )
    batch = run(admin_user, path, record_type="account", options={"decimal_mark": ","})
    assert (batch.accepted, batch.rejected) == (1, 1)
    reasons = rejection(batch, 3)
    assert reasons[0]["field"] == "employees"
    assert "Headcount" in reasons[0]["message"]
    assert list(Account.objects.values_list("name", "employees")) == [("Acme", 1200)]
