"""The import benchmark runs end to end with a few hundred rows."""

from __future__ import annotations

from pathlib import Path

from bench.import_contacts import (
    generate,
    prepare,
    report,
    run_copy,
    run_import_export,
    run_rapport,
)
from rapport.customers.models import Account, Contact
from rapport.quality.dedupe.models import MatchKey


def test_the_benchmark_generates_imports_and_compares(db: None, tmp_path: Path) -> None:
    path = tmp_path / "contacts.csv"
    generate(path, rows=300)
    assert len(path.read_text(encoding="utf-8").splitlines()) == 301
    admin = prepare()
    assert Account.objects.count() == 2000

    figures = run_rapport(path, admin, quiet=True)

    assert figures.rows == 300
    assert figures.accepted + figures.rejected + figures.duplicates == 300
    assert figures.rejected > 0  # the generator's invalid rows
    assert figures.duplicates > 0  # and its repeated people
    assert Contact.objects.count() == figures.accepted
    assert MatchKey.objects.filter(record_type="contact").count() > figures.accepted
    Contact.all_objects.all().delete()
    iexp = run_import_export(path, admin, rows=50)
    assert iexp[0] == 50
    Contact.all_objects.all().delete()
    copied = run_copy(path, admin)
    assert copied[0] == 300
    text = report(figures, iexp=iexp, copy=copied)
    assert "rows/s" in text
    assert "rapport / import-export" in text
