from __future__ import annotations

from pathlib import Path

import pytest

from rapport.core.models import AuditEntry
from rapport.customers.models import Contact
from rapport.customers.services import account_create
from rapport.imports.models import ImportBatch, ImportRow
from rapport.imports.tests.engine_fixtures import report, run, write_csv
from rapport.quality.dedupe.models import MatchKey
from rapport.quality.scores.models import QualityScore

pytestmark = pytest.mark.django_db


def test_it_imports_contacts_normalised_with_keys_scores_and_audit(
    admin_user, tmp_path: Path
) -> None:
    account = account_create(
        acting_user=admin_user, values={"name": "Acme Holding Inc.", "website": "https://acme.com"}
    )
    path = write_csv(
        tmp_path / "people.csv",
        [
            ["First name", "Last name", "E-Mail", "Phone", "Company", "Birthdate"],
            ["ADA", "LOVELACE", "Ada@ACME.com", "+44 20 7946 0958", "ACME Holding", "10.12.1815"],
            ["grace", "hopper", "grace@navy.mil", "", "acme.com", "1906-12-09"],
            ["", "", "nobody@example.com", "", "", ""],
        ],
    )
    batch = run(admin_user, path)
    assert batch.status == ImportBatch.Status.COMMITTED, batch.error
    assert (batch.accepted, batch.rejected, batch.duplicates) == (2, 1, 0)
    ada = Contact.objects.get(last_name="Lovelace")
    assert ada.first_name == "Ada"
    assert ada.email == "Ada@acme.com"
    assert ada.phone == "+442079460958"
    assert ada.account == account
    assert str(ada.birthdate) == "1815-12-10"
    assert Contact.objects.get(last_name="Hopper").account == account
    assert MatchKey.objects.filter(record_type="contact", object_id=ada.pk).exists()
    assert QualityScore.objects.filter(record_type="contact", object_id=ada.pk).exists()
    entry = AuditEntry.objects.get(record_type="contact", object_id=ada.pk)
    assert entry.action == "create"
    assert entry.request_id == f"import:{batch.pk}"
    rows = report(batch)
    rejected = [r for r in rows if r["verdict"] == "rejected"]
    assert rejected[0]["line"] == "4"
    assert "last_name" in rejected[0]["field"]


def test_the_dry_run_writes_no_records(admin_user, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "p.csv",
        [["Last name", "Email"], ["Ng", "ng@example.com"], ["Ng", "ng@example.com"]],
    )
    batch = run(admin_user, path, dry_run=True)
    assert batch.status == ImportBatch.Status.CHECKED
    assert (batch.accepted, batch.rejected, batch.duplicates) == (1, 0, 1)
    assert not Contact.objects.exists()
    dup = ImportRow.objects.get(batch=batch, verdict="duplicate")
    assert dup.matched_line == 2
