"""Export → import → export keeps every value an import can write, for every importable type,
through CSV and XLSX alike (issue 6: "Import → export → import round-trips losslessly")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rapport.access import crud
from rapport.core import records
from rapport.exports import services as exports
from rapport.imports import reading
from rapport.imports import services as imports
from rapport.imports.mapping import IMPORTABLE_TYPES, importable_fields
from rapport.imports.models import ImportRow

pytestmark = pytest.mark.django_db

# Written by Rapport itself, whatever the file says: the id (a new record gets a new one).
NOT_CARRIED = {"ID"}


def exported(user: Any, record_type: str, pk: int, path: Path) -> dict[str, str]:
    """The one record's row of an export file as the importer reads it, header → cell."""
    queryset = records.get(record_type).model._default_manager.filter(pk=pk)
    if path.suffix == ".csv":
        exports.export_csv_file(user=user, record_type=record_type, queryset=queryset, path=path)
    else:
        exports.export_xlsx(user=user, record_type=record_type, queryset=queryset, path=path)
    rows = list(reading.open_table(path).rows())
    assert len(rows) == 1
    assert not rows[0].issues
    return dict(rows[0].cells)


# What must go before a record can be deleted for good (protected links to it).
DEPENDENTS: dict[str, tuple[str, ...]] = {
    "account": ("activity", "opportunity", "contact"),
    "contact": ("activity", "opportunity"),
}


def delete_for_good(every_type: dict[str, Any], record_type: str) -> None:
    """The record gone (not in the recycle bin), so the import cannot find it as a duplicate."""
    for kind in (*DEPENDENTS.get(record_type, ()), record_type):
        model = records.get(kind).model
        model._base_manager.filter(pk=every_type[kind].pk).delete()


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("record_type", IMPORTABLE_TYPES)
def test_export_import_export_keeps_every_importable_value(
    every_type: dict[str, Any], admin_user: Any, tmp_path: Path, record_type: str, suffix: str
) -> None:
    original = every_type[record_type]
    # As Rapport stores it: normalised like every write (the fixture wrote it directly).
    crud.prepare(record_type=record_type, obj=original, acting_user=admin_user)
    original.save()
    first_path = tmp_path / f"first{suffix}"
    first = exported(admin_user, record_type, original.pk, first_path)
    delete_for_good(every_type, record_type)

    batch = imports.import_run(
        acting_user=admin_user, record_type=record_type, path=first_path, duplicate_mode="create"
    )

    verdicts = list(imports.batch_report_rows(batch=batch))
    assert (batch.accepted, batch.rejected, batch.duplicates, batch.created) == (1, 0, 0, 1), str(
        [{h: v for h, v in zip(verdicts[0], row, strict=True) if v} for row in verdicts[1:]]
    )
    created = ImportRow.objects.get(batch=batch, action=ImportRow.Action.CREATED).object_id
    assert created is not None
    assert created != original.pk
    second = exported(admin_user, record_type, created, tmp_path / f"second{suffix}")
    # Every column the suggestion mapped back onto a field, and every importable field whose
    # column the export has, is carried over unchanged.
    carried = {header for header, name in batch.mapping.items() if name} - NOT_CARRIED
    importable = {f.label for f in importable_fields(record_type, admin_user)} - NOT_CARRIED
    assert importable & set(first) <= carried
    assert carried, "the export has columns the import maps back"
    assert {h: second[h] for h in carried} == {h: first[h] for h in carried}
