"""Rollback: an import that created and updated records is undone exactly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from rapport.activities.services import activity_create
from rapport.customers.models import Contact
from rapport.customers.services import contact_create
from rapport.imports import services
from rapport.imports.models import ImportBatch
from rapport.imports.tests.engine_fixtures import run, write_csv

pytestmark = pytest.mark.django_db


def dump(table: str, without: tuple[str, ...] = ()) -> list[tuple[Any, ...]]:
    """Every row of a table, minus some columns, sorted."""
    with connection.cursor() as cursor:
        columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
        kept = [c for c in columns if c not in without]
        cursor.execute(f"SELECT {', '.join(kept)} FROM {table}")  # noqa: S608 - names from the schema
        return sorted(cursor.fetchall(), key=repr)


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    return {
        "contacts": dump("customers_contact"),
        "keys": dump("dedupe_matchkey", without=("id",)),
        "scores": dump("scores_qualityscore", without=("id", "computed_at")),
    }


@pytest.fixture
def existing(admin_user) -> list[Contact]:
    return [
        contact_create(
            acting_user=admin_user,
            values={"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com",
                    "phone": "+442079460958", "job_title": "Analyst"},
        ),
        contact_create(
            acting_user=admin_user,
            values={"first_name": "Grace", "last_name": "Hopper", "email": "grace@example.com"},
        ),
    ]  # fmt: skip


def test_a_rollback_restores_the_database_exactly(admin_user, existing, tmp_path: Path) -> None:
    ada, grace = existing
    before = snapshot()
    path = write_csv(
        tmp_path / "update.csv",
        [
            ["ID", "First name", "Last name", "Email", "Job title"],
            [str(ada.pk), "Ada", "King", "ada.king@example.com", "Countess"],
            [str(grace.pk), "Grace", "Hopper", "grace@example.com", "Rear admiral"],
            ["", "Alan", "Turing", "alan@example.com", "Mathematician"],
            ["", "Katherine", "Johnson", "kj@example.com", ""],
        ],
    )
    batch = run(admin_user, path, duplicate_mode="update")
    assert (batch.created, batch.updated, batch.duplicates) == (2, 2, 2)
    ada.refresh_from_db()
    assert (ada.last_name, ada.email, ada.job_title) == ("King", "ada.king@example.com", "Countess")
    assert Contact.objects.count() == 4
    assert snapshot() != before

    services.batch_rollback(batch=batch, acting_user=admin_user)

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.ROLLED_BACK
    assert snapshot() == before
    with pytest.raises(ValidationError, match="committed"):
        services.batch_rollback(batch=batch, acting_user=admin_user)


def test_a_rollback_refuses_when_created_records_gained_related_records(
    admin_user, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "c.csv", [["Last name"], ["Turing"], ["Johnson"]])
    batch = run(admin_user, path)
    turing = Contact.objects.get(last_name="Turing")
    activity_create(
        acting_user=admin_user,
        values={"kind": "note", "subject": "Met at the conference", "contact": turing},
    )
    with pytest.raises(ValidationError, match="Met at the conference"):
        services.batch_rollback(batch=batch, acting_user=admin_user)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED
    assert Contact.objects.count() == 2


def test_only_the_uploader_or_an_administrator_rolls_back(
    admin_user, make_user, tmp_path: Path
) -> None:
    rep = make_user(role="sales_rep")
    other = make_user(role="sales_rep")
    path = write_csv(tmp_path / "c.csv", [["Last name"], ["Turing"]])
    batch = run(rep, path)
    with pytest.raises(Exception, match="someone else"):
        services.batch_rollback(batch=batch, acting_user=other)
    assert Contact.objects.count() == 1
    services.batch_rollback(batch=batch, acting_user=admin_user)
    assert not Contact.all_objects.exists()
