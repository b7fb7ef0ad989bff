"""Reading an uploaded file as a table of text cells: CSV (any common encoding), XLSX, vCard.

`open_table` looks at the whole file once (size, format by content as much as by name,
encoding, zip directory, header row, first data row) and raises `ImportFileError` with a message
for the user when the file as a whole cannot be imported. `Table.rows()` then streams the data
rows, re-opening the file each time it is called, so memory stays flat whatever the size of a
CSV or vCard file (an XLSX sheet is unpacked whole, within `XLSX_MAX_UNCOMPRESSED`). Problems
with one row (ragged, NUL bytes, a field too long, a broken vCard) do not stop the file: they
travel with the row as `RowIssue`s, and the engine rejects such rows with the message.

Every cell is text. XLSX (first visible sheet) dates and times become ISO strings (`2024-12-31`,
`2024-12-31T08:30:00`), numbers plain decimals to 15 significant digits as Excel shows them, and
booleans `yes`/`no`, so the engine parses one format.

Header rules: surrounding spaces are stripped; a blank header becomes "Column 3" (its position,
counting from 1); a repeated header gets its occurrence appended, "E-mail (2)", so no column is
lost and every cell can be told apart in the mapping.

Row numbers (`SourceRow.line`) are the row numbers a spreadsheet shows: the header is row 1 (or
the first non-blank row; an Excel `sep=;` line before it counts as row 1), a CSV record spanning
several physical lines (a quoted newline) counts once, blank rows are counted but not returned.
For vCard, `line` is the line of the file where the card begins.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings

MiB = 1024 * 1024
DEFAULT_MAX_BYTES = 512 * MiB
SAMPLE_BYTES = 64 * 1024
CHUNK_BYTES = 256 * 1024

# A real workbook's XML compresses 5-20x, very repetitive sheets up to ~100x; a zip bomb declares
# far more (deflate tops out near 1000x). Small archives may be as repetitive as they like.
ZIP_MAX_RATIO = 100
ZIP_RATIO_FLOOR = 64 * MiB
ZIP_MAX_ENTRIES = 10_000
# calamine holds the sheet in memory while it is read (1.7-2.3x its XML, see `_xlsx_values`;
# measured: 670 MB peak for a whole process reading 280 MB of sheet XML); this keeps an import
# of a workbook well under 1 GiB. Bigger tables go as CSV,
# which is streamed whatever its size.
XLSX_MAX_UNCOMPRESSED = 300 * MiB

CSV_DELIMITERS = ",;\t|"
CSV_EXTENSIONS = frozenset({".csv", ".tsv", ".txt", ""})
XLSX_EXTENSIONS = frozenset({".xlsx", ".xlsm"})
VCARD_EXTENSIONS = frozenset({".vcf", ".vcard"})
ACCEPTED = "CSV (.csv, .tsv, .txt), Excel (.xlsx) or vCard (.vcf)"

# Headers of a vCard file: the verbose names of the Contact fields each vCard property fills.
VCARD_HEADERS = [
    "First name",
    "Last name",
    "Email",
    "Secondary email",
    "Phone",
    "Mobile",
    "Account",
    "Job title",
    "Street",
    "City",
    "Postal code",
    "Region",
    "Country",
    "Birthdate",
    "Notes",
]

_MAGIC_BINARY = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "a program"),
    (b"MZ", "a program"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
)
# The csv module's own field limit (128 Ki characters) would fail the whole file on one long
# field; ours (Limits.max_field_chars) rejects just the row. Raised once for the process, still
# bounded so an unclosed quote can't swallow a huge file into memory as one field.
CSV_FIELD_LIMIT = 16 * MiB
csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_EMPTY_ZIP = b"PK\x05\x06"


class ImportFileError(Exception):
    """The file as a whole cannot be imported; `str(error)` is the message for the user."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code

    def __reduce__(self) -> tuple[Any, ...]:
        # Keeps the code when the error crosses a process boundary (pickled by a task backend).
        return (_rebuild_error, (str(self), self.code))


def _rebuild_error(message: str, code: str) -> ImportFileError:
    return ImportFileError(message, code=code)


@dataclass(frozen=True)
class RowIssue:
    """Something wrong with one row as read; the engine rejects the row with this message."""

    column: str | None
    message: str


@dataclass(frozen=True)
class SourceRow:
    """One data row: its row number, its cells keyed by header, and what was wrong reading it."""

    line: int
    cells: dict[str, str]
    issues: tuple[RowIssue, ...] = ()


def _default_max_bytes() -> int:
    if not settings.configured:  # imported outside Django, e.g. by a bench script
        return DEFAULT_MAX_BYTES
    return int(getattr(settings, "RAPPORT_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


@dataclass(frozen=True)
class Limits:
    """How big a file, a field, a header row and a table may be."""

    max_bytes: int = field(default_factory=_default_max_bytes)
    max_field_chars: int = 10_000
    max_columns: int = 500
    max_rows: int | None = None


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Table:
    """A readable file: what was detected, its headers, and its rows on demand."""

    file_format: str  # "csv", "xlsx" or "vcf"
    encoding: str  # e.g. "utf-8", "utf-16-le", "cp1252"; "" for XLSX
    delimiter: str  # "," ";" "\t" "|"; "" for XLSX and vCard
    headers: list[str]
    _open_rows: Callable[[], Iterator[SourceRow]] = field(repr=False, compare=False)

    def rows(self) -> Iterator[SourceRow]:
        """The data rows, streamed from the file (each call reads the file again)."""
        return self._open_rows()


def open_table(path: str | Path, *, file_name: str = "", limits: Limits = DEFAULT_LIMITS) -> Table:
    """Detect the format, encoding and delimiter of a file and read its header row.

    Raises `ImportFileError` when the file cannot be imported at all (empty, header only, binary,
    a zip bomb, too large, unknown format, undecodable).
    """
    if limits is DEFAULT_LIMITS:
        limits = Limits()  # read the setting now, so a changed setting applies
    path = Path(path)
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise ImportFileError(
            f"The file is {format_size(size)}; files up to {format_size(limits.max_bytes)} "
            "can be imported. Split it into smaller files.",
            code="too_large",
        )
    if size == 0:
        raise ImportFileError("The file is empty.", code="empty")
    with path.open("rb") as handle:
        head = handle.read(SAMPLE_BYTES)
    extension = Path(file_name or path.name).suffix.lower()

    if head.startswith(_OLE2):
        raise ImportFileError(
            "This is an old-style Excel (.xls) workbook or a password-protected one; "
            f"save it as an unprotected .xlsx or as CSV. Accepted: {ACCEPTED}.",
            code="format",
        )
    if head.startswith((_ZIP, _EMPTY_ZIP)):
        return _open_xlsx(path, size=size, head=head, limits=limits)
    if extension in XLSX_EXTENSIONS:
        # Some legacy systems export CSV under an .xlsx name; text is read as what it is.
        if _looks_binary(head) or any(head.startswith(magic) for magic, _what in _MAGIC_BINARY):
            raise ImportFileError(_NOT_XLSX, code="format")
        extension = ".csv"
    if extension not in CSV_EXTENSIONS | VCARD_EXTENSIONS:
        raise ImportFileError(
            f"Rapport can't read {extension} files. Accepted: {ACCEPTED}.", code="format"
        )
    encoding = _detect_encoding(path, head)
    sample = _decode_sample(head, encoding)
    if extension in VCARD_EXTENSIONS or sample.lstrip("\ufeff \r\n\t").upper().startswith(
        "BEGIN:VCARD"
    ):
        return _open_vcard(path, encoding=encoding, limits=limits)
    return _open_csv(path, encoding=encoding, sample=sample, limits=limits)


def format_size(size: int) -> str:
    """A byte count as people say it: 512 bytes, 3.2 KB, 600 MB, 1.5 GB (powers of 1024)."""
    if size < 1024:
        return f"{size} bytes"
    value = float(size)
    for unit in ("KB", "MB", "GB", "TB"):
        value /= 1024
        if value < 1024 or unit == "TB":
            text = f"{value:.1f}".removesuffix(".0")
            return f"{text} {unit}"
    raise AssertionError("unreachable")


# ---------------------------------------------------------------------------------------------
# Encodings


def _detect_encoding(path: Path, head: bytes) -> str:
    """The codec to read a text file with; raises "binary" for files that are not text at all.

    Order: a BOM decides; then UTF-16 without BOM, recognised by NUL bytes in every other
    position; then UTF-8 if the whole file decodes as UTF-8 (checked in chunks, never the whole
    file in memory); else charset-normalizer's guess among single-byte encodings, Windows-1252
    by default (what Excel writes on Western Windows).
    """
    if head.startswith(codecs.BOM_UTF8):
        return _checked(path, "utf-8-sig")
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise ImportFileError(
            "The file is in UTF-32, which Rapport doesn't read; save it as UTF-8.",
            code="encoding",
        )
    if head.startswith(codecs.BOM_UTF16_LE):
        return _checked(path, "utf-16-le", skip=2)
    if head.startswith(codecs.BOM_UTF16_BE):
        return _checked(path, "utf-16-be", skip=2)
    for magic, what in _MAGIC_BINARY:
        if head.startswith(magic):
            raise _binary(what)
    utf16 = _utf16_without_bom(head)
    if utf16:
        return _checked(path, utf16)
    if _looks_binary(head):
        raise _binary("")
    if _decodes(path, "utf-8"):
        return "utf-8"
    guess = _guess_single_byte(head)
    if _decodes(path, guess):
        return guess
    if guess != "cp1252" and _decodes(path, "cp1252"):
        return "cp1252"
    # Latin-1 decodes any byte; better than refusing a file whose odd bytes are rare.
    return "latin-1"


def _binary(what: str) -> ImportFileError:
    kind = f" (it looks like {what})" if what else ""
    return ImportFileError(
        f"The file is not a text file{kind}. Upload a CSV, XLSX or vCard file.", code="binary"
    )


def _utf16_without_bom(head: bytes) -> str:
    """utf-16-le/-be when NULs sit in every other byte (ASCII text in UTF-16), else ""."""
    sample = head[: 4096 - (4096 % 2)]
    pairs = len(sample) // 2
    if pairs < 2:
        return ""
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    if odd_nuls >= pairs * 0.4 and even_nuls <= pairs * 0.05:
        return "utf-16-le"
    if even_nuls >= pairs * 0.4 and odd_nuls <= pairs * 0.05:
        return "utf-16-be"
    return ""


def _looks_binary(head: bytes) -> bool:
    """Many control bytes (other than tab, newlines, form feed) mean the file is not text."""
    sample = head[:8192]
    controls = sum(sample.count(byte) for byte in _CONTROL_BYTES)
    return controls > max(8, len(sample) // 20)


_CONTROL_BYTES = [bytes([b]) for b in range(32) if b not in (9, 10, 12, 13)]


def _guess_single_byte(head: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(head[:SAMPLE_BYTES]).best()
    if best is not None:
        # German or French text reads the same in cp1250 and cp1252; prefer Windows' Western
        # code page whenever it gives the same text.
        alike = {codecs.lookup(name).name for name in best.could_be_from_charset}
        if "cp1252" in alike:
            return "cp1252"
        name = codecs.lookup(best.encoding).name
        # charset-normalizer may propose multi-byte Asian codecs for short Western samples;
        # those are not what spreadsheets in this CRM's markets are saved in.
        if name in _SINGLE_BYTE:
            return name
    return "cp1252"


_SINGLE_BYTE = frozenset(
    codecs.lookup(name).name
    for name in (
        "cp1252",
        "cp1250",
        "cp1251",
        "cp1253",
        "cp1254",
        "cp1257",
        "latin-1",
        "iso8859-2",
        "iso8859-15",
        "mac-roman",
        "cp850",
        "cp437",
    )
)


def _decodes(path: Path, encoding: str, *, skip: int = 0) -> bool:
    """Whether the whole file decodes with `encoding`, read in chunks."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        with path.open("rb") as handle:
            handle.seek(skip)
            while chunk := handle.read(CHUNK_BYTES):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _checked(path: Path, encoding: str, *, skip: int = 0) -> str:
    if not _decodes(path, encoding, skip=skip):
        raise ImportFileError(
            f"The file says it is {_encoding_label(encoding)} but contains bytes that are not; "
            "save it again as UTF-8.",
            code="encoding",
        )
    return encoding


def _encoding_label(encoding: str) -> str:
    return {
        "utf-8-sig": "UTF-8",
        "utf-8": "UTF-8",
        "utf-16-le": "UTF-16",
        "utf-16-be": "UTF-16",
        "cp1252": "Windows-1252",
    }.get(encoding, encoding)


def _decode_sample(head: bytes, encoding: str) -> str:
    if encoding in ("utf-16-le", "utf-16-be") and head[:2] in (
        codecs.BOM_UTF16_LE,
        codecs.BOM_UTF16_BE,
    ):
        head = head[2:]
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    return decoder.decode(head, final=False)


def _open_text(path: Path, encoding: str) -> io.TextIOWrapper:
    handle = path.open("rb")
    if encoding in ("utf-16-le", "utf-16-be"):
        bom = handle.read(2)
        if bom not in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            handle.seek(0)
    return io.TextIOWrapper(handle, encoding=encoding, errors="strict", newline="")


# ---------------------------------------------------------------------------------------------
# Headers and rows


def _headers_from(raw: list[str], *, limits: Limits) -> list[str]:
    if len(raw) > limits.max_columns:
        raise ImportFileError(
            f"The header row has {len(raw)} columns; at most {limits.max_columns} can be "
            "imported. Remove the columns you don't need.",
            code="too_many_columns",
        )
    headers: list[str] = []
    seen: dict[str, int] = {}
    for position, value in enumerate(raw, start=1):
        name = " ".join(value.replace("\x00", "").replace("\ufeff", "").split())
        if len(name) > 255:
            raise ImportFileError(
                f"Column {position}'s header is {len(name):,} characters long; "
                "headers may have at most 255. Is the first row really a header row?",
                code="header",
            )
        if not name:
            name = f"Column {position}"
        key = name.casefold()
        if key in seen:
            seen[key] += 1
            name = f"{name} ({seen[key]})"
            while name.casefold() in seen:  # "E-mail (2)" was already a header of its own
                seen[key] += 1
                name = f"{name.rsplit(' (', 1)[0]} ({seen[key]})"
        seen[name.casefold()] = seen.get(name.casefold(), 1)
        headers.append(name)
    return headers


# What to say about cells beyond the header's width: (one cell, several cells).
CSV_EXTRA = (
    "belongs to no column (a delimiter inside a value that is not quoted?)",
    "belong to no column (a delimiter inside a value that is not quoted?)",
)
XLSX_EXTRA = ("is in a column without a header", "are in columns without a header")


def _row(
    line: int,
    values: list[str],
    headers: list[str],
    width: int,
    max_chars: int,
    extra_reason: tuple[str, str] = CSV_EXTRA,
) -> SourceRow:
    """A SourceRow from a parsed row, with its issues (the slow path: see `_csv_rows`)."""
    issues: list[RowIssue] = []
    count = len(values)
    if count != width:
        if count < width:
            issues.append(
                RowIssue(
                    None,
                    f"Row has {count} {_cells(count)}, the header has {width}; "
                    "a delimiter or quote may be missing.",
                )
            )
            values = values + [""] * (width - count)
        else:
            extra = [value for value in values[width:] if value.strip()]
            if extra:
                shown = ", ".join(repr(_shorten(value)) for value in extra[:3])
                more = f" and {len(extra) - 3} more" if len(extra) > 3 else ""
                issues.append(
                    RowIssue(
                        None,
                        f"Row has {count} cells, the header has {width}; the extra "
                        f"{_cells(len(extra))} {shown}{more} "
                        f"{extra_reason[0] if len(extra) == 1 else extra_reason[1]}.",
                    )
                )
            values = values[:width]
    cells = dict(zip(headers, values, strict=True))
    # One cheap test on the whole row before looking at single cells.
    if sum(map(len, values)) > max_chars or "\x00" in "".join(values):
        for header, value in cells.items():
            if "\x00" in value:
                value = value.replace("\x00", "")
                cells[header] = value
                issues.append(
                    RowIssue(header, f"{header}: contains NUL bytes (removed); check the value.")
                )
            if len(value) > max_chars:
                lines = value.count("\n") + 1
                hint = (
                    f" It spans {lines:,} lines: is a quote left open before it?"
                    if lines > 100
                    else ""
                )
                issues.append(
                    RowIssue(
                        header,
                        f"{header}: is {len(value):,} characters long; at most "
                        f"{max_chars:,} are accepted.{hint}",
                    )
                )
    return SourceRow(line, cells, tuple(issues))


def _cells(count: int) -> str:
    return "cell" if count == 1 else "cells"


def _shorten(value: str, length: int = 30) -> str:
    return value if len(value) <= length else value[: length - 1] + "…"


def _first_row(rows: Iterator[SourceRow], *, message: str, code: str) -> None:
    """Raise unless there is at least one data row; closes the file again either way."""
    try:
        next(rows)
    except StopIteration:
        raise ImportFileError(message, code=code) from None
    finally:
        close = getattr(rows, "close", None)
        if close is not None:
            close()


HEADER_ONLY = "The file has a header row but no data rows."


# ---------------------------------------------------------------------------------------------
# CSV


def _open_csv(path: Path, *, encoding: str, sample: str, limits: Limits) -> Table:
    headers: list[str] | None = None
    header_line = 0
    # Excel's "sep=;" first line names the delimiter; it is no header.
    first_line = sample.lstrip("\ufeff").split("\n", 1)[0].rstrip("\r")
    declared = re.fullmatch(r"(?i)sep=(.)", first_line)
    if declared:
        delimiter, header_line = declared.group(1), 1
    else:
        delimiter = _sniff_delimiter(sample)

    with _open_text(path, encoding) as text:
        reader = csv.reader(text, delimiter=delimiter)
        try:
            for _skipped in itertools.islice(reader, header_line):
                pass
            for raw in reader:
                header_line += 1
                if any(value.strip() for value in raw):
                    headers = _headers_from(raw, limits=limits)
                    break
        except csv.Error as error:
            raise _csv_error(error, reader.line_num) from error
    if headers is None:
        raise ImportFileError("The file is empty.", code="empty")
    found = headers

    def rows() -> Iterator[SourceRow]:
        return _csv_rows(
            path,
            encoding=encoding,
            delimiter=delimiter,
            headers=found,
            header_line=header_line,
            limits=limits,
        )

    _first_row(rows(), message=HEADER_ONLY, code="header_only")
    return Table(
        file_format="csv", encoding=encoding, delimiter=delimiter, headers=headers, _open_rows=rows
    )


def _csv_rows(
    path: Path,
    *,
    encoding: str,
    delimiter: str,
    headers: list[str],
    header_line: int,
    limits: Limits,
) -> Iterator[SourceRow]:
    width = len(headers)
    max_chars = limits.max_field_chars
    max_rows = limits.max_rows if limits.max_rows is not None else -1
    read = 0
    line = 0
    with _open_text(path, encoding) as text:
        reader = csv.reader(text, delimiter=delimiter)
        try:
            for _header in itertools.islice(reader, header_line):
                line += 1
            for values in reader:
                line += 1
                joined = "".join(values)
                if not joined or joined.isspace():
                    continue
                read += 1
                if read == max_rows + 1:
                    raise _too_many_rows(max_rows)
                # The common case in one test: as wide as the header, no field can be too long
                # since the whole row is not, no NUL anywhere.
                if len(values) == width and len(joined) <= max_chars and "\x00" not in joined:
                    yield SourceRow(line, dict(zip(headers, values, strict=False)), ())
                else:
                    yield _row(line, values, headers, width, max_chars)
        except csv.Error as error:
            raise _csv_error(error, line + 1) from error


def _too_many_rows(max_rows: int) -> ImportFileError:
    return ImportFileError(
        f"The file has more than {max_rows:,} rows; split it into smaller files.",
        code="too_many_rows",
    )


def _csv_error(error: csv.Error, line: int) -> ImportFileError:
    message = str(error)
    if "field larger than field limit" in message:
        return ImportFileError(
            f"Row {line} has a field longer than {csv.field_size_limit():,} characters; is a "
            "quote left open? Check the quotes around that row.",
            code="field_too_large",
        )
    return ImportFileError(f"Row {line} can't be read as CSV: {message}.", code="format")


def _sniff_delimiter(sample: str) -> str:
    """The delimiter of the sample: csv.Sniffer when its answer splits the header, else counting."""
    lines = sample.splitlines()[:50]
    if len(lines) > 1 and not sample.endswith(("\n", "\r")):
        lines = lines[:-1]  # the sample may end mid-line
    text = "\n".join(lines)
    first = next((line for line in lines if line.strip()), "")
    try:
        dialect = csv.Sniffer().sniff(text, delimiters=CSV_DELIMITERS)
        if dialect.delimiter in CSV_DELIMITERS and _width(first, dialect.delimiter) > 1:
            return dialect.delimiter
    except csv.Error:
        pass
    return _count_delimiter(lines)


def _width(line: str, delimiter: str) -> int:
    try:
        return len(next(csv.reader([line], delimiter=delimiter), []))
    except csv.Error:
        return 0


def _count_delimiter(lines: list[str]) -> str:
    """The delimiter that splits the most lines into as many cells as the header, the most cells."""
    best, best_score = ",", (0.0, 0)
    rows = [line for line in lines if line.strip()][:50]
    if not rows:
        return ","
    for delimiter in CSV_DELIMITERS:
        try:
            widths = [len(row) for row in csv.reader(rows, delimiter=delimiter)]
        except csv.Error:
            continue
        header = widths[0]
        if header < 2:
            continue
        agreeing = sum(1 for width in widths if width == header) / len(widths)
        score = (agreeing, header)
        if score > best_score:
            best, best_score = delimiter, score
    return best


# ---------------------------------------------------------------------------------------------
# XLSX


def _open_xlsx(path: Path, *, size: int, head: bytes, limits: Limits) -> Table:
    _check_zip(path, size=size)
    from python_calamine import CalamineWorkbook

    header_line = 0
    headers: list[str] | None = None
    has_data = False
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        try:
            sheet_index, sheet_name = _first_visible_sheet(workbook)
            sheet = workbook.get_sheet_by_index(sheet_index)
        finally:
            workbook.close()
        for line, values in enumerate(_xlsx_values(sheet), start=1):
            if not "".join(values).strip():
                continue
            if headers is not None:
                has_data = True
                break
            headers = _headers_from(_trim_trailing(values), limits=limits)
            header_line = line
    except ImportFileError:
        raise
    except Exception as error:  # calamine raises several unrelated types for damaged files
        raise ImportFileError(
            f"The workbook is damaged and can't be read ({_shorten(str(error), 120)}). Open it "
            "in Excel and save it again, or save the sheet as CSV.",
            code="format",
        ) from error
    if headers is None:
        raise ImportFileError(
            f"The file is empty (its first sheet, {sheet_name!r}, has no cells).", code="empty"
        )
    if not has_data:
        raise ImportFileError(HEADER_ONLY, code="header_only")
    found = headers
    # The sheet just unpacked serves the first reading of the rows (the engine opens the table
    # and reads it at once); later readings unpack it again, so no sheet stays in memory.
    unpacked = [sheet]

    def rows() -> Iterator[SourceRow]:
        loaded = unpacked.pop() if unpacked else _load_sheet(path, sheet_index)
        return _xlsx_rows(loaded, headers=found, header_line=header_line, limits=limits)

    return Table(file_format="xlsx", encoding="", delimiter="", headers=headers, _open_rows=rows)


def _first_visible_sheet(workbook: Any) -> tuple[int, str]:
    """The position and name of the first worksheet a user sees (hidden ones and charts skipped)."""
    from python_calamine import SheetTypeEnum, SheetVisibleEnum

    sheets = workbook.sheets_metadata
    for index, sheet in enumerate(sheets):
        if sheet.visible == SheetVisibleEnum.Visible and sheet.typ == SheetTypeEnum.WorkSheet:
            return index, str(sheet.name)
    if not sheets:
        raise ImportFileError("The workbook has no sheets.", code="empty")
    return 0, str(sheets[0].name)


def _load_sheet(path: Path, sheet_index: int) -> Any:
    """A sheet, unpacked whole by calamine (in compact Rust memory, 1.7-2.3 times the sheet's XML;
    `_check_zip` caps that); its rows are then handed out one by one."""
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(path))
    try:
        return workbook.get_sheet_by_index(sheet_index)
    finally:
        workbook.close()


def _xlsx_values(sheet: Any) -> Iterator[list[str]]:
    """The sheet's rows as text."""
    for raw in sheet.iter_rows():
        yield [value if type(value) is str else _cell_text(value) for value in raw]


_NOT_XLSX = (
    "The file is not a valid XLSX workbook (the archive is damaged or incomplete). "
    "Open it in Excel and save it again, or save the sheet as CSV."
)


def _check_zip(path: Path, *, size: int) -> None:
    """Refuse damaged archives, non-workbooks and zip bombs from the zip directory alone."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ImportFileError(_NOT_XLSX, code="format") from error
    if len(entries) > ZIP_MAX_ENTRIES:
        raise ImportFileError(
            f"The workbook archive holds {len(entries):,} files; a real workbook has far fewer. "
            "It was refused as a possible zip bomb.",
            code="zip_bomb",
        )
    declared = sum(entry.file_size for entry in entries)
    if declared > ZIP_RATIO_FLOOR and declared > ZIP_MAX_RATIO * size:
        raise ImportFileError(
            f"The workbook would unpack from {format_size(size)} to {format_size(declared)}; "
            "it was refused as a possible zip bomb. Save the sheet as CSV instead.",
            code="zip_bomb",
        )
    if declared > XLSX_MAX_UNCOMPRESSED:
        raise ImportFileError(
            f"The workbook unpacks to {format_size(declared)}; workbooks up to "
            f"{format_size(XLSX_MAX_UNCOMPRESSED)} unpacked (roughly 400,000 rows of a dozen "
            "columns) can be "
            "imported. Save the sheet as CSV: CSV files are read as a stream, whatever their size.",
            code="too_large",
        )
    names = {entry.filename for entry in entries}
    if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
        raise ImportFileError(
            f"The file is a ZIP archive but not an Excel workbook. Accepted: {ACCEPTED}.",
            code="format",
        )


def _xlsx_rows(
    sheet: Any, *, headers: list[str], header_line: int, limits: Limits
) -> Iterator[SourceRow]:
    width = len(headers)
    max_chars = limits.max_field_chars
    max_rows = limits.max_rows if limits.max_rows is not None else -1
    read = 0
    for line, values in enumerate(_xlsx_values(sheet), start=1):
        if line <= header_line:
            continue
        joined = "".join(values)
        if not joined or joined.isspace():
            continue
        read += 1
        if read == max_rows + 1:
            raise _too_many_rows(max_rows)
        if len(values) == width and len(joined) <= max_chars and "\x00" not in joined:
            yield SourceRow(line, dict(zip(headers, values, strict=False)), ())
        else:
            values = _trim_trailing(values, keep=width)
            yield _row(line, values, headers, width, max_chars, XLSX_EXTRA)


def _trim_trailing(values: list[str], keep: int = 0) -> list[str]:
    """Drop empty cells at the end of a row (a sheet's used range is often wider than its data)."""
    end = len(values)
    while end > keep and not values[end - 1]:
        end -= 1
    return values[:end] if end < len(values) else values


def _cell_text(value: Any) -> str:
    """A spreadsheet cell as the text an export would hold."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        # 15 significant digits, as Excel shows them: 0.1 + 0.2 is 0.3, not 0.30000000000000004.
        text = format(value, ".15g")
        if "e" in text:  # 1e-05 → 0.00001: people don't type exponents into a CRM
            text = format(Decimal(text), "f")
            if "." in text:
                text = text.rstrip("0").rstrip(".")
        return text
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return "" if value is None else str(value)


# ---------------------------------------------------------------------------------------------
# vCard


def _open_vcard(path: Path, *, encoding: str, limits: Limits) -> Table:
    headers = list(VCARD_HEADERS)

    def rows() -> Iterator[SourceRow]:
        return _vcard_rows(path, encoding=encoding, limits=limits)

    _first_row(
        rows(),
        message="The file holds no contact cards (BEGIN:VCARD … END:VCARD).",
        code="empty",
    )
    return Table(
        file_format="vcf", encoding=encoding, delimiter="", headers=headers, _open_rows=rows
    )


def _vcard_rows(path: Path, *, encoding: str, limits: Limits) -> Iterator[SourceRow]:
    """One row per card; cards are cut apart line by line so a broken one spoils only itself."""
    max_rows = limits.max_rows
    read = 0
    with _open_text(path, encoding) as text:
        card: list[str] = []
        numbers: list[int] = []  # the file's line number of each line of the card
        start = 0
        for number, raw_line in enumerate(text, start=1):
            line = raw_line.rstrip("\r\n")
            marker = line.strip().upper()
            if marker == "BEGIN:VCARD":
                if card:  # the previous card never ended
                    read += 1
                    yield _broken_card(start, "The card has no END:VCARD line.")
                card, numbers, start = [line], [number], number
                continue
            if not card:
                continue
            previous = card[-1]
            if previous.endswith("=") and "QUOTED-PRINTABLE" in previous.split(":", 1)[0].upper():
                card[-1] = previous[:-1] + line  # a quoted-printable soft line break (vCard 2.1)
                continue
            card.append(line)
            numbers.append(number)
            if marker == "END:VCARD":
                read += 1
                if max_rows is not None and read > max_rows:
                    raise ImportFileError(
                        f"The file has more than {max_rows:,} cards; split it into smaller files.",
                        code="too_many_rows",
                    )
                yield _vcard_row(start, card, numbers, limits=limits)
                card = []
        if card:
            yield _broken_card(start, "The card has no END:VCARD line.")


def _broken_card(line: int, reason: str) -> SourceRow:
    cells = dict.fromkeys(VCARD_HEADERS, "")
    return SourceRow(line, cells, (RowIssue(None, f"Broken vCard: {reason}"),))


def _vcard_row(line: int, lines: list[str], numbers: list[int], *, limits: Limits) -> SourceRow:
    import vobject  # type: ignore[import-untyped]

    try:
        card = vobject.readOne("\r\n".join(lines) + "\r\n", ignoreUnreadable=False)
        cells = _vcard_cells(card)
    except Exception as error:  # vobject raises ParseError, ValueError, ... for broken cards
        # vobject's own line numbers count from the card, and not reliably; name the file's line.
        reason = re.sub(r"^At line \d+: ", "", str(error) or type(error).__name__)
        bad = reason.partition("Failed to parse line: ")[2]
        if bad in lines:
            reason = f"line {numbers[lines.index(bad)]}: {reason}"
        return _broken_card(line, _shorten(reason, 150))
    values = [cells.get(header, "") for header in VCARD_HEADERS]
    return _row(line, values, VCARD_HEADERS, len(VCARD_HEADERS), limits.max_field_chars)


def _vcard_cells(card: Any) -> dict[str, str]:
    contents: dict[str, list[Any]] = card.contents
    cells: dict[str, str] = {}
    name = contents.get("n")
    if name:
        value = name[0].value
        cells["First name"] = " ".join(
            part for part in (_joined(value.given), _joined(value.additional)) if part
        )
        cells["Last name"] = _joined(value.family)
    if not cells.get("Last name") and contents.get("fn"):
        full = str(contents["fn"][0].value).strip()
        first, _, last = full.rpartition(" ")
        cells["First name"], cells["Last name"] = first, last
    emails = [str(item.value).strip() for item in contents.get("email", [])]
    emails = _preferred_first(contents.get("email", []), emails)
    if emails:
        cells["Email"] = emails[0]
    if len(emails) > 1:
        cells["Secondary email"] = emails[1]
    for item in contents.get("tel", []):
        types = _types(item)
        header = "Mobile" if types & {"CELL", "MOBILE", "IPHONE"} else "Phone"
        number = str(item.value).strip()
        cells.setdefault(header, number[4:] if number.lower().startswith("tel:") else number)
    if contents.get("org"):
        org = contents["org"][0].value
        cells["Account"] = _joined(org[:1] if isinstance(org, list) else org)
    if contents.get("title"):
        cells["Job title"] = str(contents["title"][0].value).strip()
    if contents.get("adr"):
        addresses = contents["adr"]
        work = [item for item in addresses if "WORK" in _types(item)]
        address = (work or addresses)[0].value
        cells["Street"] = _joined(address.street, sep=", ")
        cells["City"] = _joined(address.city)
        cells["Postal code"] = _joined(address.code)
        cells["Region"] = _joined(address.region)
        cells["Country"] = _joined(address.country)
    if contents.get("bday"):
        birthday = str(contents["bday"][0].value).strip()
        basic = re.fullmatch(r"(\d{4})(\d{2})(\d{2})(?:T.*)?", birthday)  # 19901231: ISO basic form
        cells["Birthdate"] = "-".join(basic.groups()) if basic else birthday.partition("T")[0]
    if contents.get("note"):
        cells["Notes"] = "\n".join(str(item.value).strip() for item in contents["note"])
    return cells


def _joined(value: Any, sep: str = " ") -> str:
    if isinstance(value, list | tuple):
        return sep.join(str(part).strip() for part in value if str(part).strip())
    return str(value or "").strip()


def _types(item: Any) -> set[str]:
    params: dict[str, list[str]] = item.params
    types = {value.upper() for value in params.get("TYPE", [])}
    types.update(value.upper() for value in item.singletonparams)  # vCard 2.1: TEL;CELL:...
    for value in list(types):
        types.update(part.strip() for part in value.split(","))
    return types


def _preferred_first(items: list[Any], values: list[str]) -> list[str]:
    preferred = [value for item, value in zip(items, values, strict=True) if "PREF" in _types(item)]
    rest = [value for value in values if value not in preferred]
    return [value for value in preferred + rest if value]
