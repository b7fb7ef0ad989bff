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


def test_an_old_vcard_with_quoted_printable_and_bare_types_is_read(tmp_path: Path) -> None:
    card = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\n"
        "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BCrgen;;;\r\n"
        "TEL;WORK;VOICE:+49 30 2\r\nTEL;CELL:+49 170 1\r\n"
        "EMAIL;INTERNET:private@example.com\r\nEMAIL;PREF;INTERNET:work@example.com\r\n"
        "BDAY:19901231\r\n"
        "NOTE;ENCODING=QUOTED-PRINTABLE:Line one=0D=0ALine =\r\ntwo\r\n"
        "END:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ann Lee\r\n"
        'TEL;TYPE="cell,voice";VALUE=uri:tel:+1-555-0100\r\nEND:VCARD\r\n'
    )

    old, new = open_table(write(tmp_path, "phone.vcf", card.encode())).rows()

    assert {key: value for key, value in old.cells.items() if value} == {
        "First name": "Jürgen",
        "Last name": "Müller",
        "Email": "work@example.com",
        "Secondary email": "private@example.com",
        "Phone": "+49 30 2",
        "Mobile": "+49 170 1",
        "Birthdate": "1990-12-31",
        "Notes": "Line one\r\nLine two",
    }
    assert {key: value for key, value in new.cells.items() if value} == {
        "First name": "Ann",
        "Last name": "Lee",
        "Mobile": "+1-555-0100",
    }


def test_an_excel_sep_line_names_the_delimiter(tmp_path: Path) -> None:
    table = open_table(write(tmp_path, "sep.csv", b"sep=;\r\nName;Amount\r\nAnna;1,5\r\n"))

    assert table.delimiter == ";"
    assert table.headers == ["Name", "Amount"]
    assert list(table.rows()) == [SourceRow(3, {"Name": "Anna", "Amount": "1,5"}, ())]


def test_a_single_column_file_is_one_column(tmp_path: Path) -> None:
    table = open_table(write(tmp_path, "one.csv", b"Email\na@example.com\nb@example.com\n"))

    assert table.headers == ["Email"]
    assert [row.cells for row in table.rows()] == [
        {"Email": "a@example.com"},
        {"Email": "b@example.com"},
    ]


def test_old_mac_line_endings_are_read(tmp_path: Path) -> None:
    table = open_table(write(tmp_path, "mac.csv", b"a;b\r1;2\r3;4\r"))

    assert [row.cells for row in table.rows()] == [{"a": "1", "b": "2"}, {"a": "3", "b": "4"}]


def test_the_first_visible_sheet_is_read_and_numbers_look_as_in_excel(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    hidden = workbook.active
    assert hidden is not None
    hidden.title = "Lookup"
    hidden.append(["Code"])
    hidden.append(["ignored"])
    hidden.sheet_state = "hidden"
    sheet = workbook.create_sheet("Contacts")
    sheet.append(["Share", "Tiny", "Big", "Phone"])
    sheet.append([0.1 + 0.2, 0.00001, 12345678901234.0, 4930123456])
    workbook.save(tmp_path / "book.xlsx")

    table = open_table(tmp_path / "book.xlsx")

    assert table.headers == ["Share", "Tiny", "Big", "Phone"]
    assert [row.cells for row in table.rows()] == [
        {"Share": "0.3", "Tiny": "0.00001", "Big": "12345678901234", "Phone": "4930123456"}
    ]


def test_workbook_rows_can_be_read_again(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Name", "City"])
    sheet.append(["Anna", "Berlin"])
    sheet.append(["Bob", "Paris"])
    workbook.save(tmp_path / "again.xlsx")
    table = open_table(tmp_path / "again.xlsx")

    first, second, third = list(table.rows()), list(table.rows()), list(table.rows())

    assert first == second == third
    assert [row.cells["Name"] for row in first] == ["Anna", "Bob"]
