"""open_table reads CSV in every common delimiter, XLSX and vCard into the same rows of text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]

from rapport.imports.reading import SourceRow, open_table


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_it_reads_a_comma_separated_utf8_file(tmp_path: Path) -> None:
    path = write(tmp_path, "c.csv", "First name,Last name\nAnna,Müller\nBob,Smith\n".encode())

    table = open_table(path)

    assert (table.file_format, table.encoding, table.delimiter) == ("csv", "utf-8", ",")
    assert table.headers == ["First name", "Last name"]
    assert list(table.rows()) == [
        SourceRow(2, {"First name": "Anna", "Last name": "Müller"}, ()),
        SourceRow(3, {"First name": "Bob", "Last name": "Smith"}, ()),
    ]


def test_it_detects_semicolon_tab_and_pipe_delimiters(tmp_path: Path) -> None:
    for delimiter in (";", "\t", "|"):
        text = f"a{delimiter}b{delimiter}c\n1{delimiter}2,5{delimiter}x\n"
        table = open_table(write(tmp_path, "d.csv", text.encode()))

        assert table.delimiter == delimiter
        assert [row.cells for row in table.rows()] == [{"a": "1", "b": "2,5", "c": "x"}]


def test_rows_can_be_read_twice(tmp_path: Path) -> None:
    table = open_table(write(tmp_path, "c.csv", b"a,b\n1,2\n"))

    assert list(table.rows()) == list(table.rows())


def test_it_reads_the_first_sheet_of_a_workbook_as_text(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Name", "Born", "Met", "Count", "Share", "Active", "Empty"])
    met = dt.datetime(2024, 1, 2, 8, 30)
    sheet.append(["Anna", dt.date(1990, 12, 31), met, 3, 2.5, True, None])
    workbook.save(tmp_path / "book.xlsx")

    table = open_table(tmp_path / "book.xlsx")

    assert (table.file_format, table.encoding, table.delimiter) == ("xlsx", "", "")
    assert [row.cells for row in table.rows()] == [
        {
            "Name": "Anna",
            "Born": "1990-12-31",
            "Met": "2024-01-02T08:30:00",
            "Count": "3",
            "Share": "2.5",
            "Active": "yes",
            "Empty": "",
        }
    ]


def test_it_reads_each_vcard_as_a_contact_row(tmp_path: Path) -> None:
    cards = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Müller;Anna;;;\r\nFN:Anna Müller\r\n"
        "EMAIL;TYPE=WORK:anna@example.com\r\nTEL;TYPE=CELL:+49 170 1234567\r\n"
        "ORG:Acme GmbH;Sales\r\nTITLE:Buyer\r\n"
        "ADR;TYPE=WORK:;;Hauptstr. 1;Berlin;;10115;Germany\r\nBDAY:1990-12-31\r\n"
        "END:VCARD\r\n"
    )
    table = open_table(write(tmp_path, "people.vcf", cards.encode()))

    assert table.file_format == "vcf"
    [row] = list(table.rows())
    assert row.line == 1
    assert row.issues == ()
    assert {key: value for key, value in row.cells.items() if value} == {
        "First name": "Anna",
        "Last name": "Müller",
        "Email": "anna@example.com",
        "Mobile": "+49 170 1234567",
        "Account": "Acme GmbH",
        "Job title": "Buyer",
        "Street": "Hauptstr. 1",
        "City": "Berlin",
        "Postal code": "10115",
        "Country": "Germany",
        "Birthdate": "1990-12-31",
    }
