"""Exports of records to CSV and XLSX, streamed, with the reader's scope and field security.

The columns follow the shared import/export conventions, so an export imports back unchanged:
"ID" first, then the type's fields in model order under their verbose names ("First name");
dates `YYYY-MM-DD`, date-times ISO 8601 with their offset, decimals with a `.`, booleans
`yes`/`no`, picklists and choices by their label, links to records by the record's name (a person
by their login, the e-mail address). Text a spreadsheet would run as a formula is neutralised
(`rapport.exports.neutralise`) unless an administrator asks for raw values.

    export_csv(user=user, record_type="contact", queryset=Contact.objects.all())  # bytes chunks
    export_xlsx(user=user, record_type="contact", queryset=qs, path="/tmp/contacts.xlsx")
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django_countries.fields import CountryField

from rapport.access import permissions
from rapport.core import picklists, records
from rapport.core.models import PicklistValue
from rapport.exports.neutralise import neutralise

CHUNK_SIZE = 2000  # rows fetched per round trip
CSV_FLUSH_ROWS = 500  # rows per streamed chunk of bytes
BOM = "\ufeff"  # Excel reads a CSV file as UTF-8 only when it starts with one

# Bookkeeping the record keeps for itself: never exported (the id is the "ID" column).
BOOKKEEPING = frozenset({"id", "updated_at", "deleted_at", "deleted_by"})
# Not editable, but a legacy system's creation date is worth carrying over (imports may keep it).
KEPT_READ_ONLY = frozenset({"created_at"})
# Related rows a link's display name reads, loaded with the record (no query per row).
DISPLAY_RELATED: dict[str, tuple[str, ...]] = {
    "activity": ("opportunity_step__step",),
}

RAW_REFUSED = (
    "Only administrators may export raw values: they are written without neutralising "
    "spreadsheet formulas."
)

# Excel's calendar starts in 1900 (and wrongly counts 29 February 1900): earlier dates cannot be
# date cells, so XLSX exports write them as ISO text, which imports read back the same.
EXCEL_FIRST_DATE = dt.date(1900, 3, 1)
# Characters XML 1.0, and so an XLSX file, cannot hold at all.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True)
class ExportColumn:
    """One column of an export: a model field (or the record's id) and its header."""

    name: str  # the field's name; "id" for the Rapport id
    header: str  # e.g. "First name"
    # id, text, integer, decimal, date, datetime, boolean, choice, country, picklist, person
    # (a link to a user) or record (a link to another record)
    kind: str
    attname: str  # where the value sits on the instance (`account_id` for a picklist)


Cell = str | int | Decimal | dt.date | None


def _kind(field: models.Field[Any, Any]) -> str:
    if isinstance(field, picklists.PicklistField):
        return "picklist"
    if field.is_relation and field.related_model is get_user_model():
        return "person"
    if field.is_relation:
        return "record"
    if isinstance(field, CountryField):
        return "country"
    if field.choices:
        return "choice"
    if isinstance(field, models.BooleanField):
        return "boolean"
    if isinstance(field, models.DateTimeField):
        return "datetime"
    if isinstance(field, models.DateField):
        return "date"
    if isinstance(field, models.DecimalField):
        return "decimal"
    if isinstance(field, models.IntegerField | models.AutoField):
        return "integer"
    return "text"


def export_header(field: models.Field[Any, Any]) -> str:
    """The header a field gets in exports (and that imports recognise): its verbose name,
    capitalised, e.g. "First name"."""
    return str(capfirst(str(field.verbose_name)))


def export_columns(record_type: str, user: Any) -> list[ExportColumn]:
    """The columns a person's export of the type has: "ID", then every field in model order but
    bookkeeping ones and those hidden from the person. `user` None: every field (command line)."""
    model = records.get(record_type).model
    hidden = permissions.hidden_fields_of(user, record_type) if user is not None else frozenset()
    columns = [ExportColumn(name="id", header="ID", kind="id", attname="id")]
    for field in model._meta.concrete_fields:
        if field.name in BOOKKEEPING or field.name in hidden:
            continue
        if not field.editable and field.name not in KEPT_READ_ONLY:
            continue
        kind = _kind(field)
        attname = field.attname if kind in ("picklist", "person") else field.name
        columns.append(
            ExportColumn(name=field.name, header=export_header(field), kind=kind, attname=attname)
        )
    return columns


def export_file_name(record_type: str, extension: str) -> str:
    """E.g. "contacts-2026-11-25.csv"."""
    label = str(records.get(record_type).label_plural).lower().replace(" ", "-")
    return f"{label}-{timezone.localdate().isoformat()}.{extension}"


# Rows ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Lookups:
    """Labels read once per export instead of joined on every row (small tables)."""

    picklists: dict[int, str]  # picklist value id → label
    people: dict[int, str]  # user id → login (the e-mail address): unique where names are not


def _typed(column: ExportColumn, obj: Any, lookups: _Lookups) -> Cell:
    """The value of a cell as its type: text, a number, a date, or None for an empty cell."""
    kind = column.kind
    if kind == "picklist":
        key = getattr(obj, column.attname)
        return lookups.picklists.get(key, "") if key is not None else None
    if kind == "person":
        key = getattr(obj, column.attname)
        return lookups.people.get(key, "") if key is not None else None
    if kind == "country":
        # The stored code, without building a Country object per row.
        return vars(obj).get(column.attname) or None
    if kind == "choice":
        value = getattr(obj, column.attname)
        return (
            str(getattr(obj, f"get_{column.name}_display")()) if value not in (None, "") else None
        )
    value = getattr(obj, column.attname)
    if value is None or value == "":
        return None
    if kind == "record":
        return str(value)
    if kind == "boolean":
        return "yes" if value else "no"
    if kind == "datetime":
        # An offset keeps the moment exact whatever time zone reads it back.
        return str(timezone.localtime(value).isoformat())
    if kind in ("id", "integer"):
        return int(value)
    if kind == "decimal":
        return Decimal(value)
    if kind == "date":
        return value  # type: ignore[no-any-return]
    return str(value)


def _prepared(
    queryset: QuerySet[Any], record_type: str, user: Any, columns: list[ExportColumn]
) -> QuerySet[Any]:
    if user is not None:
        queryset = permissions.scope_queryset(user, record_type, queryset)
    related = [c.name for c in columns if c.kind == "record"]
    names = {c.name for c in columns}
    related += [
        path for path in DISPLAY_RELATED.get(record_type, ()) if path.split("__")[0] in names
    ]
    if related:
        queryset = queryset.select_related(*related)
    if not queryset.query.order_by:
        queryset = queryset.order_by("pk")  # deterministic: the same export twice is the same file
    return queryset


def _lookups(record_type: str, columns: list[ExportColumn]) -> _Lookups:
    """The labels the columns need: picklist values of the type's lists, people's logins."""
    model = records.get(record_type).model
    names = {c.name for c in columns}
    keys = [
        f.picklist_key
        for f in model._meta.concrete_fields
        if isinstance(f, picklists.PicklistField) and f.name in names
    ]
    labels: dict[int, str] = {}
    if keys:
        found = PicklistValue.objects.filter(picklist__key__in=keys).values_list("pk", "label")
        labels = {pk: str(label) for pk, label in found}
    people: dict[int, str] = {}
    if any(c.kind == "person" for c in columns):
        user_model = get_user_model()
        logins = user_model._base_manager.values_list("pk", user_model.USERNAME_FIELD)
        people = {pk: str(login) for pk, login in logins}
    return _Lookups(picklists=labels, people=people)


def _checked(user: Any, record_type: str, raw: bool) -> None:
    if user is None:
        return
    permissions.check(user, "read", record_type)
    if raw and not getattr(user, "is_administrator", False):
        raise PermissionDenied(RAW_REFUSED)


def export_rows(
    *, user: Any, record_type: str, queryset: QuerySet[Any], raw: bool = False
) -> tuple[list[ExportColumn], Iterator[list[Cell]]]:
    """The columns and the typed rows of an export, text neutralised unless `raw`.

    Permission is checked and the query started now (PermissionDenied: no read permission, or
    raw for a person who is not an administrator); the rows are then read lazily, CHUNK_SIZE at
    a time, in constant memory.
    `user` None is the command line without --user: every record and field.
    """
    _checked(user, record_type, raw)
    columns = export_columns(record_type, user)
    prepared = _prepared(queryset, record_type, user, columns)

    lookups = _lookups(record_type, columns)
    objects = prepared.iterator(chunk_size=CHUNK_SIZE)
    # The query runs now: a filter the database refuses (a number too large, say) fails in the
    # view, as a clear answer, rather than in the middle of a streamed file.
    first = next(objects, None)

    def rows() -> Iterator[list[Cell]]:
        if first is None:
            return
        for obj in itertools.chain((first,), objects):
            cells = [_typed(column, obj, lookups) for column in columns]
            if not raw:
                cells = [neutralise(c) if isinstance(c, str) else c for c in cells]
            yield cells

    return columns, rows()


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, Decimal):
        return format(cell, "f")  # never 1E+3
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return str(cell)


def _csv_chunks(columns: list[ExportColumn], rows: Iterator[list[Cell]]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(BOM)
    writer.writerow([c.header for c in columns])
    for count, row in enumerate(rows, start=1):
        writer.writerow([_text(cell) for cell in row])
        if count % CSV_FLUSH_ROWS == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate(0)
    yield buffer.getvalue().encode("utf-8")


def export_csv(
    *, user: Any, record_type: str, queryset: QuerySet[Any], raw: bool = False
) -> Iterator[bytes]:
    """The export as UTF-8 CSV (with a BOM, so Excel reads it right), in chunks of bytes."""
    columns, rows = export_rows(user=user, record_type=record_type, queryset=queryset, raw=raw)
    return _csv_chunks(columns, rows)


def export_csv_file(
    *, user: Any, record_type: str, queryset: QuerySet[Any], path: str | Path, raw: bool = False
) -> int:
    """Write the CSV export to a file; returns the rows written."""
    columns, rows = export_rows(user=user, record_type=record_type, queryset=queryset, raw=raw)
    written = 0

    def counted() -> Iterator[list[Cell]]:
        nonlocal written
        for row in rows:
            written += 1
            yield row

    with open(path, "wb") as handle:
        for chunk in _csv_chunks(columns, counted()):
            handle.write(chunk)
    return written


def export_xlsx(
    *,
    user: Any,
    record_type: str,
    queryset: QuerySet[Any],
    path: str | Path | IO[bytes],
    raw: bool = False,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the export as an XLSX workbook to `path` (a file name or a binary file); returns the
    rows written. Numbers are numbers and dates dates (ISO text before 1900, which Excel cannot
    hold); date-times are ISO text with their offset, since Excel has no time zones. Written in
    openpyxl's write-only mode: constant memory."""
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]
    from openpyxl.styles import Font  # type: ignore[import-untyped]

    columns, rows = export_rows(user=user, record_type=record_type, queryset=queryset, raw=raw)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(records.get(record_type).label_plural)[:31])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    written = 0
    for row in rows:
        values: list[Any] = []
        for value in row:
            if isinstance(value, dt.date) and value < EXCEL_FIRST_DATE:
                value = value.isoformat()  # before Excel's calendar: exact only as text
            elif isinstance(value, str):
                value = _XML_ILLEGAL.sub("", value)
                if value.startswith("="):
                    # Raw values: text that looks like a formula is still stored as text.
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.data_type = "s"
                    values.append(cell)
                    continue
            values.append(value)
        sheet.append(values)
        written += 1
        if progress is not None and written % CHUNK_SIZE == 0:
            progress(written)
    workbook.save(path)
    return written


# Files of background exports ----------------------------------------------------------------------


def exports_root() -> Path:
    """Where background exports leave their files (one folder per task), under MEDIA_ROOT."""
    return Path(settings.MEDIA_ROOT) / "exports"


def exports_purge(*, older_than: dt.timedelta = dt.timedelta(days=1)) -> int:
    """Delete the files of background exports older than `older_than`; returns folders removed."""
    root = exports_root()
    if not root.is_dir():
        return 0
    cutoff = time.time() - older_than.total_seconds()
    removed = 0
    for folder in root.iterdir():
        if folder.stat().st_mtime < cutoff:
            if folder.is_dir():
                shutil.rmtree(folder, ignore_errors=True)
            else:
                folder.unlink(missing_ok=True)
            removed += 1
    return removed
