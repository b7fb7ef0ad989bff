"""Bad input through the whole import: a clear message, and nothing written.

Files that cannot be imported at all are refused before a batch exists; rows that cannot be
read or converted are rejected one by one (field and reason in the report), the others are
imported; text in other encodings, delimiters and quoting arrives intact.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest

from rapport.customers.models import Account, Contact
from rapport.imports.models import ImportBatch, ImportRow
from rapport.imports.reading import ImportFileError
from rapport.imports.tests.engine_fixtures import run

pytestmark = pytest.mark.django_db


def _zip_bomb(path: Path) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as entry:
            for _ in range(70):
                entry.write(bytes(1024 * 1024))


FILES: dict[str, tuple[str, Any, str]] = {
    "empty": ("empty.csv", b"", "empty"),
    "header-only": ("header.csv", b"Last name,Email\n", "header row but no data rows"),
    "binary": ("photo.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "not a text file"),
    "zip-bomb": ("bomb.xlsx", _zip_bomb, "zip bomb"),
    "oversized": ("big.csv", b"Last name\n" + b"Ng\n" * 2000, "files up to"),
}


@pytest.mark.parametrize("case", list(FILES))
def test_an_unusable_file_is_refused_with_its_message_and_nothing_is_written(
    admin_user, tmp_path: Path, settings: Any, case: str
) -> None:
    settings.RAPPORT_IMPORT_MAX_BYTES = 4096 if case == "oversized" else 10 * 1024 * 1024
    name, content, message = FILES[case]
    path = tmp_path / name
    if callable(content):
        content(path)
    else:
        path.write_bytes(content)
    with pytest.raises(ImportFileError, match=message):
        run(admin_user, path)
    assert not ImportBatch.objects.exists()
    assert not Contact.all_objects.exists()


def _rejected(batch: ImportBatch) -> dict[int, dict[str, str]]:
    return {r.line: r.reasons[0] for r in ImportRow.objects.filter(batch=batch, verdict="rejected")}


def test_bad_rows_are_rejected_naming_field_and_reason_and_the_rest_imported(
    admin_user, tmp_path: Path
) -> None:
    long_text = "x" * 10_001
    path = tmp_path / "rows.csv"
    path.write_text(
        "Last name,Birthdate,Email,Unknown column\n"
        "Good,1990-01-31,good@example.com,ignored\n"
        "Ragged,1990-01-31\n"
        'Nul\x00Byte,1990-01-31,nul@example.com,""\n'
        f"Long,1990-01-31,long@example.com,{long_text}\n"
        "Baddate,31.02.1990,bad@example.com,\n"
        "Usdate,12/31/1990,us@example.com,\n"
        "Words,yesterday,words@example.com,\n",
        encoding="utf-8",
    )
    batch = run(admin_user, path)
    rejected = _rejected(batch)
    assert batch.accepted + batch.rejected + batch.duplicates == 7
    assert "has 2 cells, the header has 4" in rejected[3]["message"]
    assert "NUL" in rejected[4]["message"]
    assert "10,001 characters" in rejected[5]["message"]
    assert rejected[6]["field"] == "birthdate"
    assert "31.02.1990" in rejected[6]["message"]
    assert rejected[7]["field"] == "birthdate"  # month first, but the file is read day first
    assert rejected[8]["field"] == "birthdate"
    assert list(Contact.objects.values_list("last_name", flat=True)) == ["Good"]


def test_month_first_dates_and_decimal_commas_are_read_with_the_options(
    admin_user, tmp_path: Path
) -> None:
    path = tmp_path / "rows.csv"
    path.write_text(
        "Name;Annual revenue;Employees\nAcme;1.234.567,89;1.200\nGlobex;12,5x;3\n",
        encoding="utf-8",
    )
    batch = run(admin_user, path, record_type="account", options={"decimal_mark": ","})
    assert (batch.accepted, batch.rejected) == (1, 1)
    acme = Account.objects.get()
    assert (str(acme.annual_revenue), acme.employees) == ("1234567.89", 1200)
    assert _rejected(batch)[3]["field"] == "annual_revenue"

    contacts = tmp_path / "us.csv"
    contacts.write_text("Last name\tBirthdate\nNg\t12/31/1990\n", encoding="utf-8")
    run(admin_user, contacts, options={"day_first": False})
    assert str(Contact.objects.get().birthdate) == "1990-12-31"


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-8", b"\xef\xbb\xbf"), ("utf-16", b""), ("cp1252", b"")],
    ids=["utf-8-bom", "utf-16", "windows-1252"],
)
def test_other_encodings_arrive_intact(
    admin_user, tmp_path: Path, encoding: str, bom: bytes
) -> None:
    text = 'Last name;Job title;Notes\nMüller;Geschäftsführer;"two\nlines, €5"\n'
    path = tmp_path / "people.csv"
    path.write_bytes(bom + text.encode(encoding))
    batch = run(admin_user, path)
    assert batch.accepted == 1, batch.error
    muller = Contact.objects.get()
    assert (muller.last_name, muller.job_title) == ("Müller", "Geschäftsführer")
    assert muller.description == "two\nlines, €5"
