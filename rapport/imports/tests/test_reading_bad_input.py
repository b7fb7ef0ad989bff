"""Every kind of bad input the reader meets gets a clear message (and never a half-read file).

File-level problems raise ImportFileError with the message the user sees; row-level ones travel
with the row as RowIssues so the engine can reject the row and report it.
"""

from __future__ import annotations

import codecs
import random
import zipfile
from pathlib import Path

import pytest

from rapport.imports.reading import (
    ImportFileError,
    Limits,
    RowIssue,
    SourceRow,
    open_table,
)

GERMAN = "Vorname;Nachname;Straße;Umsatz\nJürgen;Müller;Königsallee 1;1.234,56 €\n"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def refused(path: Path, *, limits: Limits | None = None, file_name: str = "") -> ImportFileError:
    with pytest.raises(ImportFileError) as caught:
        open_table(path, file_name=file_name, limits=limits or Limits())
    return caught.value


def german_rows(path: Path) -> list[dict[str, str]]:
    table = open_table(path)
    assert table.headers == ["Vorname", "Nachname", "Straße", "Umsatz"]
    assert table.delimiter == ";"
    return [row.cells for row in table.rows()]


GERMAN_ROW = {
    "Vorname": "Jürgen",
    "Nachname": "Müller",
    "Straße": "Königsallee 1",
    "Umsatz": "1.234,56 €",
}


# --- encodings ---------------------------------------------------------------------------------


def test_utf8_is_read_as_utf8(tmp_path: Path) -> None:
    path = write(tmp_path, "de.csv", GERMAN.encode("utf-8"))

    assert german_rows(path) == [GERMAN_ROW]
    assert open_table(path).encoding == "utf-8"


def test_a_utf8_byte_order_mark_is_not_part_of_the_first_header(tmp_path: Path) -> None:
    path = write(tmp_path, "bom.csv", codecs.BOM_UTF8 + GERMAN.encode("utf-8"))

    assert german_rows(path) == [GERMAN_ROW]
    assert open_table(path).encoding == "utf-8-sig"


@pytest.mark.parametrize(
    ("codec", "bom", "detected"),
    [
        ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16-le"),
        ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16-be"),
        ("utf-16-le", b"", "utf-16-le"),
        ("utf-16-be", b"", "utf-16-be"),
    ],
)
def test_utf16_is_detected_with_or_without_a_byte_order_mark(
    tmp_path: Path, codec: str, bom: bytes, detected: str
) -> None:
    path = write(tmp_path, "u16.csv", bom + GERMAN.encode(codec))

    assert german_rows(path) == [GERMAN_ROW]
    assert open_table(path).encoding == detected


def test_windows_1252_with_umlauts_and_the_euro_sign_is_detected(tmp_path: Path) -> None:
    path = write(tmp_path, "win.csv", GERMAN.encode("cp1252"))

    assert german_rows(path) == [GERMAN_ROW]
    assert open_table(path).encoding == "cp1252"


def test_a_file_that_is_utf8_at_the_start_and_not_later_is_read_as_windows_1252(
    tmp_path: Path,
) -> None:
    ascii_rows = "".join(f"Anna{n};Smith;Main Street {n};{n}\n" for n in range(5000))
    data = ("Vorname;Nachname;Straße;Umsatz\n" + ascii_rows).encode("cp1252")
    path = write(
        tmp_path, "late.csv", data + "Jürgen;Müller;Königsallee 1;1.234,56 €\n".encode("cp1252")
    )

    table = open_table(path)

    assert table.encoding == "cp1252"
    assert list(table.rows())[-1].cells == GERMAN_ROW


def test_a_byte_order_mark_over_bytes_of_another_encoding_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "liar.csv", codecs.BOM_UTF8 + GERMAN.encode("cp1252"))

    error = refused(path)

    assert error.code == "encoding"
    assert str(error) == (
        "The file says it is UTF-8 but contains bytes that are not; save it again as UTF-8."
    )


# --- delimiters, quoting, shape ------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_the_delimiter_is_detected(tmp_path: Path, delimiter: str) -> None:
    lines = [["Name", "City", "Amount"], ["Anna", "Köln", "1,5"], ["Bob", "Paris", "2.5"]]
    text = "".join(delimiter.join(line) + "\r\n" for line in lines)
    if delimiter == ",":
        text = text.replace("1,5", '"1,5"')

    table = open_table(write(tmp_path, "d.csv", text.encode()))

    assert table.delimiter == delimiter
    assert [row.cells["Amount"] for row in table.rows()] == ["1,5", "2.5"]


def test_quoted_newlines_stay_inside_their_cell_and_rows_keep_spreadsheet_numbers(
    tmp_path: Path,
) -> None:
    text = 'Name,Notes,City\nAnna,"line one\nline two, with comma",Köln\nBob,"say ""hi""",Paris\n'

    rows = list(open_table(write(tmp_path, "q.csv", text.encode())).rows())

    assert rows == [
        SourceRow(
            2, {"Name": "Anna", "Notes": "line one\nline two, with comma", "City": "Köln"}, ()
        ),
        SourceRow(3, {"Name": "Bob", "Notes": 'say "hi"', "City": "Paris"}, ()),
    ]


def test_a_short_row_is_padded_and_flagged(tmp_path: Path) -> None:
    text = "a,b,c,d,e\n1,2,3\n"

    [row] = open_table(write(tmp_path, "short.csv", text.encode())).rows()

    assert row.cells == {"a": "1", "b": "2", "c": "3", "d": "", "e": ""}
    assert row.issues == (
        RowIssue(
            None,
            "Row has 3 cells, the header has 5; a delimiter or quote may be missing.",
        ),
    )


def test_a_long_row_loses_its_extra_cells_and_says_which(tmp_path: Path) -> None:
    text = "a,b\n1,2,surplus,,more\n3,4,,\n"

    first, second = open_table(write(tmp_path, "long.csv", text.encode())).rows()

    assert first.cells == {"a": "1", "b": "2"}
    assert first.issues == (
        RowIssue(
            None,
            "Row has 5 cells, the header has 2; the extra cells 'surplus', 'more' belong to no "
            "column (a delimiter inside a value that is not quoted?).",
        ),
    )
    # Trailing empty cells (what many exports write) are no problem.
    assert second == SourceRow(3, {"a": "3", "b": "4"}, ())


def test_blank_rows_are_skipped_but_counted(tmp_path: Path) -> None:
    text = "\n\na,b\n1,2\n\n,\n3,4\n"

    table = open_table(write(tmp_path, "blank.csv", text.encode()))

    assert table.headers == ["a", "b"]
    assert [(row.line, row.cells["a"]) for row in table.rows()] == [(4, "1"), (7, "3")]


def test_blank_headers_are_named_by_position_and_repeated_ones_numbered(tmp_path: Path) -> None:
    text = "E-mail, ,e-mail,Name,E-mail\nx,y,z,w,v\n"

    table = open_table(write(tmp_path, "h.csv", text.encode()))

    assert table.headers == ["E-mail", "Column 2", "e-mail (2)", "Name", "E-mail (3)"]
    [row] = table.rows()
    assert row.cells == {
        "E-mail": "x",
        "Column 2": "y",
        "e-mail (2)": "z",
        "Name": "w",
        "E-mail (3)": "v",
    }


# --- whole-file refusals -------------------------------------------------------------------------


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    error = refused(write(tmp_path, "empty.csv", b""))

    assert (error.code, str(error)) == ("empty", "The file is empty.")


def test_a_file_of_blank_lines_is_empty(tmp_path: Path) -> None:
    error = refused(write(tmp_path, "blank.csv", b"\r\n  \r\n\r\n"))

    assert (error.code, str(error)) == ("empty", "The file is empty.")


def test_a_header_only_file_is_refused(tmp_path: Path) -> None:
    error = refused(write(tmp_path, "header.csv", b"First name,Last name,E-mail\r\n\r\n"))

    assert (error.code, str(error)) == (
        "header_only",
        "The file has a header row but no data rows.",
    )


def test_a_png_renamed_to_csv_is_refused_as_binary(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"

    error = refused(write(tmp_path, "photo.csv", png + bytes(200)))

    assert (error.code, str(error)) == (
        "binary",
        "The file is not a text file (it looks like a PNG image). "
        "Upload a CSV, XLSX or vCard file.",
    )


def test_random_bytes_are_refused_as_binary(tmp_path: Path) -> None:
    noise = random.Random(6).randbytes(20_000)

    error = refused(write(tmp_path, "noise.csv", noise))

    assert (error.code, str(error)) == (
        "binary",
        "The file is not a text file. Upload a CSV, XLSX or vCard file.",
    )


def test_an_unknown_file_type_is_refused_naming_the_accepted_ones(tmp_path: Path) -> None:
    error = refused(write(tmp_path, "upload.tmp", b"%PDF-1.7"), file_name="Contacts.pdf")

    assert (error.code, str(error)) == (
        "format",
        "Rapport can't read .pdf files. "
        "Accepted: CSV (.csv, .tsv, .txt), Excel (.xlsx) or vCard (.vcf).",
    )


def test_an_old_excel_workbook_is_refused_with_what_to_do(tmp_path: Path) -> None:
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512)

    error = refused(write(tmp_path, "old.xls", ole2))

    assert (error.code, str(error)) == (
        "format",
        "This is an old-style Excel (.xls) workbook or a password-protected one; save it as an "
        "unprotected .xlsx or as CSV. "
        "Accepted: CSV (.csv, .tsv, .txt), Excel (.xlsx) or vCard (.vcf).",
    )


def test_an_oversized_file_is_refused_naming_its_size_and_the_limit(tmp_path: Path) -> None:
    path = write(tmp_path, "big.csv", b"a,b\n" + b"1,2\n" * 1000)

    error = refused(path, limits=Limits(max_bytes=2048))

    assert (error.code, str(error)) == (
        "too_large",
        "The file is 3.9 KB; files up to 2 KB can be imported. Split it into smaller files.",
    )


def test_the_size_limit_comes_from_the_setting(tmp_path: Path, settings: object) -> None:
    settings.RAPPORT_IMPORT_MAX_BYTES = 3 * 1024 * 1024  # type: ignore[attr-defined]
    path = write(tmp_path, "big.csv", b"a,b\n" + b"1,2\n" * 1_000_000)

    error = refused(path)

    assert str(error) == (
        "The file is 3.8 MB; files up to 3 MB can be imported. Split it into smaller files."
    )


def test_too_many_columns_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "wide.csv", b"a,b,c,d\n1,2,3,4\n")

    error = refused(path, limits=Limits(max_columns=3))

    assert (error.code, str(error)) == (
        "too_many_columns",
        "The header row has 4 columns; at most 3 can be imported. "
        "Remove the columns you don't need.",
    )


def test_more_rows_than_the_limit_stop_the_reading(tmp_path: Path) -> None:
    table = open_table(write(tmp_path, "rows.csv", b"a\n1\n2\n3\n"), limits=Limits(max_rows=2))

    with pytest.raises(ImportFileError) as caught:
        list(table.rows())

    assert (caught.value.code, str(caught.value)) == (
        "too_many_rows",
        "The file has more than 2 rows; split it into smaller files.",
    )


# --- fields --------------------------------------------------------------------------------------


def test_an_oversized_field_flags_the_row_without_truncating(tmp_path: Path) -> None:
    text = f"Name,Notes\nAnna,{'x' * 25}\nBob,short\n"

    long, short = open_table(
        write(tmp_path, "f.csv", text.encode()), limits=Limits(max_field_chars=20)
    ).rows()

    assert long.cells["Notes"] == "x" * 25
    assert long.issues == (
        RowIssue("Notes", "Notes: is 25 characters long; at most 20 are accepted."),
    )
    assert short.issues == ()


def test_nul_bytes_in_a_text_file_are_removed_and_reported(tmp_path: Path) -> None:
    data = b"Name,City\nAn\x00na,K\xc3\xb6ln\nBob,Paris\n"

    first, second = open_table(write(tmp_path, "nul.csv", data)).rows()

    assert first.cells == {"Name": "Anna", "City": "Köln"}
    assert first.issues == (
        RowIssue("Name", "Name: contains NUL bytes (removed); check the value."),
    )
    assert second.issues == ()


# --- XLSX ----------------------------------------------------------------------------------------


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as entry:
            chunk = bytes(1024 * 1024)
            for _ in range(70):
                entry.write(chunk)

    error = refused(path)

    assert error.code == "zip_bomb"
    assert str(error) == (
        f"The workbook would unpack from {path.stat().st_size / 1024:.1f} KB to 70 MB; it was "
        "refused as a possible zip bomb. Save the sheet as CSV instead."
    )


def test_a_zip_with_too_many_entries_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "many.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for number in range(10_001):
            archive.writestr(f"x/{number}", b"")

    error = refused(path)

    assert (error.code, str(error)) == (
        "zip_bomb",
        "The workbook archive holds 10,001 files; a real workbook has far fewer. "
        "It was refused as a possible zip bomb.",
    )


def test_a_damaged_workbook_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "cut.xlsx", b"PK\x03\x04" + bytes(100))

    error = refused(path)

    assert (error.code, str(error)) == (
        "format",
        "The file is not a valid XLSX workbook (the archive is damaged or incomplete). "
        "Open it in Excel and save it again, or save the sheet as CSV.",
    )


def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("holiday.jpg", b"\xff\xd8\xff")

    error = refused(path)

    assert (error.code, str(error)) == (
        "format",
        "The file is a ZIP archive but not an Excel workbook. "
        "Accepted: CSV (.csv, .tsv, .txt), Excel (.xlsx) or vCard (.vcf).",
    )


def test_a_workbook_whose_sheet_xml_is_broken_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")
        archive.writestr("xl/workbook.xml", "<workbook")

    error = refused(path)

    assert error.code == "format"
    assert str(error).startswith("The workbook is damaged and can't be read (")
    assert str(error).endswith("). Open it in Excel and save it again, or save the sheet as CSV.")


def test_an_empty_workbook_and_a_header_only_one_are_refused(tmp_path: Path) -> None:
    import openpyxl  # type: ignore[import-untyped]

    workbook = openpyxl.Workbook()
    workbook.active.title = "Contacts"
    workbook.save(tmp_path / "empty.xlsx")
    workbook.active.append(["First name", "Last name"])
    workbook.save(tmp_path / "header.xlsx")

    empty = refused(tmp_path / "empty.xlsx")
    header_only = refused(tmp_path / "header.xlsx")

    assert (empty.code, str(empty)) == (
        "empty",
        "The file is empty (its first sheet, 'Contacts', has no cells).",
    )
    assert (header_only.code, str(header_only)) == (
        "header_only",
        "The file has a header row but no data rows.",
    )


# --- vCard ---------------------------------------------------------------------------------------


def test_a_broken_vcard_spoils_only_its_own_row(tmp_path: Path) -> None:
    cards = (
        "BEGIN:VCARD\nVERSION:3.0\nN:Smith;Bob;;;\nFN:Bob Smith\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nthis line is no property\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nN:Jones;Ann;;;\nFN:Ann Jones\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nN:Lost;Card;;;\n"
    )

    rows = list(open_table(write(tmp_path, "cards.vcf", cards.encode())).rows())

    assert [(row.line, row.cells["Last name"]) for row in rows] == [
        (1, "Smith"),
        (6, ""),
        (10, "Jones"),
        (15, ""),
    ]
    assert rows[0].issues == rows[2].issues == ()
    assert rows[1].issues == (
        RowIssue(None, "Broken vCard: line 8: Failed to parse line: this line is no property"),
    )
    assert rows[3].issues == (RowIssue(None, "Broken vCard: The card has no END:VCARD line."),)


def test_a_vcard_file_without_cards_is_refused(tmp_path: Path) -> None:
    error = refused(write(tmp_path, "none.vcf", b"nothing here\n"))

    assert (error.code, str(error)) == (
        "empty",
        "The file holds no contact cards (BEGIN:VCARD \u2026 END:VCARD).",
    )


def test_an_unclosed_quote_is_pointed_out(tmp_path: Path) -> None:
    text = 'Name,Notes\nAnna,"never closed\n' + "".join(f"Bob{n},fine\n" for n in range(200))

    [row] = open_table(
        write(tmp_path, "quote.csv", text.encode()), limits=Limits(max_field_chars=1000)
    ).rows()

    assert row.issues == (
        RowIssue(
            "Notes",
            f"Notes: is {len(text) - len('Name,Notes\nAnna,"'):,} characters long; at most 1,000 "
            "are accepted. It spans 202 lines: is a quote left open before it?",
        ),
    )


def test_a_csv_named_xlsx_is_read_as_csv_and_noise_named_xlsx_is_refused(tmp_path: Path) -> None:
    table = open_table(write(tmp_path, "export.xlsx", b"Name;City\nAnna;Berlin\n"))
    error = refused(write(tmp_path, "noise.xlsx", random.Random(1).randbytes(5000)))

    assert (table.file_format, table.delimiter) == ("csv", ";")
    assert [row.cells for row in table.rows()] == [{"Name": "Anna", "City": "Berlin"}]
    assert (error.code, str(error)) == (
        "format",
        "The file is not a valid XLSX workbook (the archive is damaged or incomplete). "
        "Open it in Excel and save it again, or save the sheet as CSV.",
    )


def test_a_workbook_cell_outside_the_headed_columns_flags_its_row(tmp_path: Path) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Name", "City"])
    sheet.append(["Anna", "Berlin", None, "call back!"])
    sheet.append(["Bob", "Paris"])
    workbook.save(tmp_path / "notes.xlsx")

    first, second = open_table(tmp_path / "notes.xlsx").rows()

    assert first.cells == {"Name": "Anna", "City": "Berlin"}
    assert first.issues == (
        RowIssue(
            None,
            "Row has 4 cells, the header has 2; the extra cell 'call back!' is in a column "
            "without a header.",
        ),
    )
    assert second.issues == ()


def test_a_refusal_keeps_its_message_and_code_across_processes() -> None:
    import pickle

    data = pickle.dumps(ImportFileError("The file is empty.", code="empty"))
    error = pickle.loads(data)  # noqa: S301 - our own bytes, just written

    assert (type(error), str(error), error.code) == (ImportFileError, "The file is empty.", "empty")
