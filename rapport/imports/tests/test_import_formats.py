"""XLSX (with Excel serial dates) and vCard files go through the same pipeline as CSV."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest

from rapport.customers.models import Contact
from rapport.imports.tests.engine_fixtures import run

pytestmark = pytest.mark.django_db


def test_an_xlsx_file_imports_with_its_dates(admin_user, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["First name", "Last name", "Birthdate", "Do not contact"])
    sheet.append(["Ada", "Lovelace", dt.date(1952, 11, 27), "yes"])
    sheet.append(["Alan", "Turing", 4560, "0"])  # an Excel serial date: 1912-06-25
    path = tmp_path / "people.xlsx"
    book.save(path)
    batch = run(admin_user, path)
    assert (batch.accepted, batch.rejected) == (2, 0), batch.error
    ada = Contact.objects.get(last_name="Lovelace")
    assert (ada.birthdate, ada.do_not_contact) == (dt.date(1952, 11, 27), True)
    assert Contact.objects.get(last_name="Turing").birthdate == dt.date(1912, 6, 25)


def test_a_vcard_file_imports_contacts(admin_user, tmp_path: Path) -> None:
    path = tmp_path / "people.vcf"
    path.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Hopper;Grace;;;\r\nFN:Grace Hopper\r\n"
        "EMAIL;TYPE=WORK:grace@NAVY.example\r\nTEL;TYPE=WORK:+1 415 555 0100\r\n"
        "TITLE:Rear admiral\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    batch = run(admin_user, path)
    assert batch.accepted == 1, batch.error
    grace = Contact.objects.get()
    assert (grace.first_name, grace.last_name, grace.email) == (
        "Grace",
        "Hopper",
        "grace@navy.example",
    )
    assert grace.phone == "+14155550100"
    assert grace.job_title == "Rear admiral"
