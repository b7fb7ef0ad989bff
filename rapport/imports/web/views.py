"""The import wizard: upload → map columns → preview → dry run → import → undo.

Every page resolves the batch and the access check in `_batch_for` (the uploader and
administrators only; a 404 for everyone else, so nobody learns which imports exist), then calls
one service of `rapport.imports.services` and renders. The work itself runs in the worker; the
batch page follows it with the core progress bar and reloads itself when the batch has moved on.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from rapport.access import permissions
from rapport.core import records
from rapport.core.progress import TaskState, progress_for
from rapport.imports import services
from rapport.imports.mapping import (
    IMPORTABLE_TYPES,
    ImportField,
    importable_fields,
    may_keep_history,
)
from rapport.imports.models import ImportBatch, ImportMapping, ImportRow
from rapport.imports.reading import ImportFileError, open_table
from rapport.imports.web.forms import (
    COMMIT_MODES,
    DAY_FIRST,
    DECIMAL_MARKS,
    DUPLICATE_MODES,
    MATCH_KEYS,
    MONTH_FIRST,
    UNRESOLVED,
    MappingForm,
    UploadForm,
    column_field_name,
)

PAGE_SIZE = 25
ROWS_PAGE_SIZE = 50
SAMPLES = 3
RUNNING = (
    ImportBatch.Status.CHECKING,
    ImportBatch.Status.COMMITTING,
    ImportBatch.Status.ROLLING_BACK,
)
DONE_OR_COMMITTING = (
    ImportBatch.Status.COMMITTING,
    ImportBatch.Status.COMMITTED,
    ImportBatch.Status.ROLLING_BACK,
    ImportBatch.Status.ROLLED_BACK,
)
MAPPABLE = (
    ImportBatch.Status.UPLOADED,
    ImportBatch.Status.CHECKED,
    ImportBatch.Status.CANCELLED,
    ImportBatch.Status.FAILED,
)
STATUS_BADGES = {
    ImportBatch.Status.UPLOADED: "gray",
    ImportBatch.Status.CHECKING: "blue",
    ImportBatch.Status.CHECKED: "purple",
    ImportBatch.Status.COMMITTING: "blue",
    ImportBatch.Status.COMMITTED: "green",
    ImportBatch.Status.CANCELLED: "gray",
    ImportBatch.Status.FAILED: "red",
    ImportBatch.Status.ROLLING_BACK: "amber",
    ImportBatch.Status.ROLLED_BACK: "gray",
}
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
LIST_URLS = {
    "account": "customers:account-list",
    "contact": "customers:contact-list",
    "lead": "leads:lead-list",
    "opportunity": "pipeline:opportunity-list",
    "activity": "activities:activity-list",
    "product": "pipeline:product-list",
}
VERDICTS = (
    ("problems", "Rejected and duplicates"),
    (ImportRow.Verdict.REJECTED.value, "Rejected"),
    (ImportRow.Verdict.DUPLICATE.value, "Duplicates"),
)


def _user(request: HttpRequest) -> Any:
    return request.user


def _batch_for(user: Any, pk: int) -> ImportBatch:
    """The batch, if this person may see it: its uploader or an administrator (404 otherwise)."""
    batches = ImportBatch.objects.select_related("created_by", "saved_mapping")
    if not user.is_administrator:
        batches = batches.filter(created_by=user)
    batch = batches.filter(pk=pk).first()
    if batch is None:
        raise Http404("No such import.")
    return batch


def _type_label(record_type: str, *, plural: bool = False) -> str:
    try:
        kind = records.get(record_type)
    except KeyError:
        return record_type
    return str(kind.label_plural if plural else kind.label)


def _creatable_types(user: Any) -> list[tuple[str, str]]:
    return [
        (key, _type_label(key, plural=True))
        for key in IMPORTABLE_TYPES
        if permissions.policy_for(user, key).can("create")
    ]


def _list_url(record_type: str) -> str:
    try:
        return reverse(LIST_URLS[record_type])
    except (KeyError, NoReverseMatch):
        return ""


def _state(batch: ImportBatch, user: Any) -> TaskState | None:
    if not batch.task_id:
        return None
    try:
        return progress_for(task_id=batch.task_id, user=user)
    except Http404:
        return None


def _reasons(raw: Iterable[Any], labels: dict[str, str]) -> list[dict[str, str]]:
    """A row's reasons with field labels; the field-less ones (why a row is a duplicate: "same
    e-mail", "same name") read as one line."""
    named: list[dict[str, str]] = []
    plain: list[str] = []
    for reason in raw:
        if not isinstance(reason, dict):
            plain.append(str(reason))
            continue
        field = str(reason.get("field", "") or "")
        message = str(reason.get("message", ""))
        if field:
            named.append({"field": labels.get(field, field), "message": message})
        elif message:
            plain.append(message)
    if plain:
        named.append({"field": "", "message": ", ".join(plain)})
    return named


def _problem(error: Exception) -> str:
    """A service's refusal as one sentence for a message."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


# The list ----------------------------------------------------------------------------------------


@login_required
def import_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    batches = ImportBatch.objects.select_related("created_by").order_by("-created_at", "-id")
    if not user.is_administrator:
        batches = batches.filter(created_by=user)
    page = Paginator(batches, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "batch": batch,
            "type_label": _type_label(batch.record_type, plural=True),
            "badge": STATUS_BADGES.get(ImportBatch.Status(batch.status), "gray"),
            "continue_url": _continue_url(batch),
        }
        for batch in page
    ]
    context = {
        "rows": rows,
        "page": page,
        "can_import": bool(_creatable_types(user)),
        "show_who": user.is_administrator,
    }
    return render(request, "imports/list.html", context)


def _continue_url(batch: ImportBatch) -> str:
    """Where the next step of an unfinished import is (empty when there is none)."""
    if batch.status in (
        ImportBatch.Status.UPLOADED,
        ImportBatch.Status.CANCELLED,
        ImportBatch.Status.FAILED,
    ):
        return reverse("imports:mapping", args=[batch.pk])
    if batch.status in (*RUNNING, ImportBatch.Status.CHECKED):
        return reverse("imports:batch", args=[batch.pk])
    return ""


# Upload ------------------------------------------------------------------------------------------


@login_required
def import_new(request: HttpRequest) -> HttpResponseBase:
    user = _user(request)
    record_types = _creatable_types(user)
    if not record_types:
        raise PermissionDenied("Your role may not create any of the records an import makes.")
    mappings = ImportMapping.objects.filter(
        record_type__in=[key for key, _label in record_types]
    ).order_by("record_type", "name")
    initial = {"record_type": request.GET.get("type", "") or "contact"}
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        record_types=record_types,
        mappings=mappings,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            batch = services.batch_upload(
                acting_user=user,
                record_type=form.cleaned_data["record_type"],
                uploaded_file=uploaded,
                file_name=uploaded.name,
            )
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            url = reverse("imports:mapping", args=[batch.pk])
            saved: ImportMapping | None = form.cleaned_data.get("saved_mapping")
            if saved is not None:
                url += f"?saved={saved.pk}"
            return redirect(url)
    # Errors come back with a 200, like Django's forms: a 400 page reads as a failed load in
    # the browser's console.
    return render(
        request, "imports/new.html", {"form": form, "has_mappings": mappings.exists(), "step": 1}
    )


# Mapping -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnRow:
    header: str
    field: Any  # the bound select
    samples: list[str]
    suggested: str  # the field the mapping started with


def _samples(batch: ImportBatch) -> dict[str, list[str]]:
    """Up to three non-empty values per header, read from the start of the file."""
    found: dict[str, list[str]] = {header: [] for header in batch.headers}
    try:
        table = open_table(batch.file.path, file_name=batch.file_name)
        for row in islice(table.rows(), 50):
            for header, value in row.cells.items():
                values = found.setdefault(header, [])
                if value.strip() and len(values) < SAMPLES:
                    values.append(value if len(value) <= 60 else value[:59] + "…")
            if all(len(v) >= SAMPLES for v in found.values()):
                break
    except (ImportFileError, OSError, ValueError):
        # The file was readable at upload; if it is gone since, the page still maps headers.
        pass
    return found


def _start_values(batch: ImportBatch, saved: ImportMapping | None) -> dict[str, Any]:
    """The form's first values: the batch's mapping and options, or a saved mapping's."""
    mapping = dict(batch.mapping)
    options = dict(batch.options)
    duplicate_mode = batch.duplicate_mode
    commit_mode = batch.commit_mode
    if saved is not None:
        mapping.update({h: f for h, f in saved.columns.items() if h in batch.headers})
        options.update(saved.options)
        duplicate_mode = saved.options.get("duplicate_mode", duplicate_mode)
        commit_mode = saved.options.get("commit_mode", commit_mode)
    initial: dict[str, Any] = {
        column_field_name(i): mapping.get(header, "") for i, header in enumerate(batch.headers)
    }
    initial.update(
        duplicate_mode=duplicate_mode,
        commit_mode=commit_mode,
        match_on=options.get("match_on", ""),
        date_order=DAY_FIRST if options.get("day_first", True) else MONTH_FIRST,
        decimal_mark=options.get("decimal_mark", "auto"),
        unresolved=options.get("unresolved", "reject"),
        keep_history=bool(options.get("keep_history", False)),
        save_as="",
    )
    return initial


def _attach_errors(form: MappingForm, error: ValidationError) -> None:
    """Put each error next to the header or field it names; the rest above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, errors in error.error_dict.items():
        messages_ = [m for e in errors for m in e.messages]
        if key in form.headers:
            target: str | None = column_field_name(form.headers.index(key))
        elif key in form.fields:
            target = key
        else:
            # A field name (unmapped required field, field mapped twice): the columns mapped
            # to it, if any, else the top of the form.
            columns = [
                column_field_name(i)
                for i, header in enumerate(form.headers)
                if form.data.get(column_field_name(i)) == key
            ]
            for column in columns:
                for message in messages_:
                    form.add_error(column, message)
            if columns:
                continue
            target = None
        for message in messages_:
            form.add_error(target, message)


@login_required
def import_mapping(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = _user(request)
    batch = _batch_for(user, pk)
    if batch.status not in MAPPABLE:
        messages.info(request, "This import is past its mapping; here is where it stands.")
        return redirect("imports:batch", pk=batch.pk)
    fields = importable_fields(batch.record_type, user)
    keep_history = may_keep_history(user)
    saved = None
    if request.GET.get("saved", "").isdigit():
        saved = ImportMapping.objects.filter(
            pk=int(request.GET["saved"]), record_type=batch.record_type
        ).first()
    form = MappingForm(
        request.POST or None,
        headers=batch.headers,
        fields=fields,
        may_keep_history=keep_history,
        initial=_start_values(batch, saved),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.batch_configure(
                batch=batch,
                acting_user=user,
                mapping=form.mapping(),
                options=form.options(),
                duplicate_mode=form.cleaned_data["duplicate_mode"],
                commit_mode=form.cleaned_data["commit_mode"],
                save_as=form.cleaned_data.get("save_as", ""),
            )
        except ValidationError as error:
            _attach_errors(form, error)
        else:
            return redirect("imports:preview", pk=batch.pk)
    samples = _samples(batch)
    columns = [
        ColumnRow(
            header=header,
            field=form[column_field_name(i)],
            samples=samples.get(header, []),
            suggested=batch.mapping.get(header, ""),
        )
        for i, header in enumerate(batch.headers)
    ]
    mapped = {form[column_field_name(i)].value() for i in range(len(batch.headers))} - {"", None}
    required = [f for f in fields if f.required]
    context = {
        "batch": batch,
        "form": form,
        "columns": columns,
        "required": required,
        "unmapped_required": [f for f in required if f.name not in mapped],
        "type_label": _type_label(batch.record_type, plural=True),
        "saved": saved,
        "delimiter_label": DELIMITERS.get(batch.delimiter, batch.delimiter),
        "step": 2,
    }
    return render(request, "imports/mapping.html", context)


# Preview -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PreviewCell:
    label: str
    value: str
    original: str
    changed: bool


def _field_labels(fields: Iterable[ImportField]) -> dict[str, str]:
    return {f.name: f.label for f in fields}


@login_required
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    batch = _batch_for(user, pk)
    if batch.status not in MAPPABLE:
        return redirect("imports:batch", pk=batch.pk)
    if not any(batch.mapping.values()):
        return redirect("imports:mapping", pk=batch.pk)
    labels = _field_labels(importable_fields(batch.record_type, user))
    # The mapped columns, in file order: header -> field.
    mapped = [(header, batch.mapping.get(header, "")) for header in batch.headers]
    mapped = [(header, field) for header, field in mapped if field]
    rows = []
    for preview in services.batch_preview(batch=batch, acting_user=user, limit=20):
        cells = []
        for header, field in mapped:
            original = preview.cells.get(header, "")
            # A rejected row has no stored values: it shows the file's cells as they are.
            value = preview.values.get(field, original) if preview.values else original
            cells.append(
                PreviewCell(
                    label=labels.get(field, field),
                    value=value,
                    original=original,
                    changed=value.strip() != original.strip(),
                )
            )
        rows.append(
            {
                "line": preview.line,
                "cells": cells,
                "verdict": preview.verdict,
                "reasons": _reasons(preview.reasons, labels),
                "matched": preview.matched,
            }
        )
    context = {
        "batch": batch,
        "headers": [(header, labels.get(field, field)) for header, field in mapped],
        "rows": rows,
        "type_label": _type_label(batch.record_type, plural=True),
        "step": 3,
    }
    return render(request, "imports/preview.html", context)


@login_required
@require_POST
def import_dry_run(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    batch = _batch_for(user, pk)
    try:
        services.batch_dry_run_start(batch=batch, acting_user=user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _problem(error))
        return redirect("imports:preview", pk=batch.pk)
    return redirect("imports:batch", pk=batch.pk)


# The batch page ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportRow:
    row: ImportRow
    reasons: list[dict[str, str]]
    matched_label: str
    matched_url: str


def _matched(user: Any, rows: list[ImportRow]) -> dict[tuple[str, int], tuple[str, str]]:
    """Label and link of every matched record the person may see (one query per record type)."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        if row.matched_type and row.matched_id is not None:
            wanted[row.matched_type].add(row.matched_id)
    found: dict[tuple[str, int], tuple[str, str]] = {}
    for record_type, ids in wanted.items():
        try:
            kind = records.get(record_type)
        except KeyError:
            continue
        visible = permissions.scope_queryset(user, record_type, kind.model._default_manager.all())
        for obj in visible.filter(pk__in=ids):
            url = reverse(kind.url_name, kwargs={"pk": obj.pk}) if kind.url_name else ""
            found[(record_type, obj.pk)] = (str(obj), url)
    return found


def _report_rows(user: Any, rows: list[ImportRow], labels: dict[str, str]) -> list[ReportRow]:
    matched = _matched(user, rows)
    report = []
    for row in rows:
        label, url = "", ""
        if row.matched_type and row.matched_id is not None:
            label, url = matched.get(
                (row.matched_type, row.matched_id),
                (f"{_type_label(row.matched_type)} #{row.matched_id}", ""),
            )
        elif row.matched_line:
            label = f"Line {row.matched_line} of this file"
        reasons = _reasons(row.reasons or [], labels)
        report.append(ReportRow(row=row, reasons=reasons, matched_label=label, matched_url=url))
    return report


def _problem_rows(batch: ImportBatch, verdict: str) -> QuerySet[ImportRow]:
    rows = batch.rows.order_by("line")
    if verdict in (ImportRow.Verdict.REJECTED, ImportRow.Verdict.DUPLICATE):
        return rows.filter(verdict=verdict)
    return rows.filter(verdict__in=[ImportRow.Verdict.REJECTED, ImportRow.Verdict.DUPLICATE])


def _batch_context(request: HttpRequest, user: Any, batch: ImportBatch) -> dict[str, Any]:
    verdict = request.GET.get("verdict", "problems")
    if verdict not in dict(VERDICTS):
        verdict = "problems"
    labels = _field_labels(importable_fields(batch.record_type, user))
    page = Paginator(_problem_rows(batch, verdict), ROWS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows_read = batch.accepted + batch.rejected + batch.duplicates
    return {
        "batch": batch,
        "type_label": _type_label(batch.record_type, plural=True),
        "type_label_one": _type_label(batch.record_type),
        "badge": STATUS_BADGES.get(ImportBatch.Status(batch.status), "gray"),
        "running": batch.status in RUNNING,
        "state": _state(batch, user) if batch.status in RUNNING else None,
        "checked": batch.status == ImportBatch.Status.CHECKED,
        "committed": batch.status == ImportBatch.Status.COMMITTED,
        "rolled_back": batch.status == ImportBatch.Status.ROLLED_BACK,
        "has_counts": batch.checked_at is not None and batch.status not in RUNNING,
        "rows_read": rows_read,
        "to_import": _to_import(batch),
        "verdict": verdict,
        "verdicts": VERDICTS,
        "page": page,
        "report_rows": _report_rows(user, list(page), labels),
        "list_url": _list_url(batch.record_type),
        "can_map": batch.status in MAPPABLE,
        "mapped_columns": [
            (header, labels.get(name, name)) for header, name in batch.mapping.items() if name
        ],
        "skipped_columns": [header for header in batch.headers if not batch.mapping.get(header)],
        "option_labels": _option_labels(batch),
        "step": 5 if batch.status in DONE_OR_COMMITTING else 4,
        "created_items": (
            _undo_items(user, batch, ImportRow.Action.CREATED, labels)
            if batch.status == ImportBatch.Status.COMMITTED
            else []
        ),
        "sample": UNDO_SAMPLE,
    }


def _option_labels(batch: ImportBatch) -> list[tuple[str, str]]:
    """The batch's options as the mapping page worded them."""
    options = batch.options or {}
    match_on = str(options.get("match_on", "") or "")
    return [
        ("Duplicates", dict(DUPLICATE_MODES).get(batch.duplicate_mode, batch.duplicate_mode)),
        (
            "Match on",
            dict(MATCH_KEYS).get(match_on, match_on)
            or "ID or external id, else the duplicate check",
        ),
        ("Commit", dict(COMMIT_MODES).get(batch.commit_mode, batch.commit_mode)),
        ("Dates", "Day first" if options.get("day_first", True) else "Month first"),
        ("Decimal mark", dict(DECIMAL_MARKS).get(str(options.get("decimal_mark", "auto")), "")),
        (
            "Related record not found",
            dict(UNRESOLVED).get(str(options.get("unresolved", "reject")), ""),
        ),
    ] + (
        [("History", "Created dates and owners kept from the file")]
        if options.get("keep_history")
        else []
    )


def _to_import(batch: ImportBatch) -> int:
    """Rows a commit would write: the accepted ones, plus duplicates updated or created anyway."""
    if batch.duplicate_mode == ImportBatch.DuplicateMode.SKIP:
        return batch.accepted
    return batch.accepted + batch.duplicates


@login_required
def import_batch(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    batch = _batch_for(user, pk)
    context = _batch_context(request, user, batch)
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "imports/batch.html#report-rows", context)
    return render(request, "imports/batch.html", context)


@login_required
def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Polled every second while the batch's task runs: reload the page once it has moved on."""
    batch = _batch_for(_user(request), pk)
    seen = request.GET.get("status", "")
    if batch.status != seen or batch.status not in RUNNING:
        response = HttpResponse(status=200)
        response["HX-Refresh"] = "true"
        return response
    return HttpResponse(status=204)


@login_required
@require_POST
def import_commit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    batch = _batch_for(user, pk)
    try:
        services.batch_commit_start(batch=batch, acting_user=user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _problem(error))
    return redirect("imports:batch", pk=batch.pk)


@login_required
@require_POST
def import_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    batch = _batch_for(user, pk)
    try:
        services.batch_cancel(batch=batch, acting_user=user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _problem(error))
    else:
        messages.info(
            request, "Cancelling: the import stops after the rows in hand and undoes them."
        )
    return redirect("imports:batch", pk=batch.pk)


# Report download ---------------------------------------------------------------------------------


class _Echo:
    """A file-like object whose write returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


@login_required
def import_report(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    batch = _batch_for(_user(request), pk)
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff"  # so Excel opens the UTF-8 file with its accents intact
        for row in services.batch_report_rows(batch=batch):
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{batch.pk}-report.csv"'
    return response


# Undo --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UndoItem:
    label: str
    url: str
    restores: list[str]


UNDO_SAMPLE = 20


def _undo_items(
    user: Any, batch: ImportBatch, action: str, labels: dict[str, str]
) -> list[UndoItem]:
    rows = list(
        batch.rows.filter(action=action, object_id__isnull=False).order_by("line")[:UNDO_SAMPLE]
    )
    kind = records.get(batch.record_type)
    ids = [row.object_id for row in rows if row.object_id is not None]
    visible = {
        obj.pk: obj
        for obj in permissions.scope_queryset(
            user, batch.record_type, kind.model._default_manager.filter(pk__in=ids)
        )
    }
    items = []
    for row in rows:
        obj = visible.get(row.object_id)
        label = str(obj) if obj is not None else f"{kind.label} #{row.object_id}"
        url = reverse(kind.url_name, kwargs={"pk": row.object_id}) if kind.url_name else ""
        restores = [labels.get(name, name) for name in (row.previous or {})]
        items.append(UndoItem(label=label, url=url if obj is not None else "", restores=restores))
    return items


@login_required
def import_undo(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    batch = _batch_for(user, pk)
    if request.method == "POST":
        try:
            services.batch_rollback_start(batch=batch, acting_user=user)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _problem(error))
        return redirect("imports:batch", pk=batch.pk)
    if not batch.can_roll_back:
        messages.error(request, "This import can no longer be undone.")
        return redirect("imports:batch", pk=batch.pk)
    labels = _field_labels(importable_fields(batch.record_type, user))
    context = {
        "batch": batch,
        "type_label": _type_label(batch.record_type, plural=True),
        "created_items": _undo_items(user, batch, ImportRow.Action.CREATED, labels),
        "updated_items": _undo_items(user, batch, ImportRow.Action.UPDATED, labels),
        "sample": UNDO_SAMPLE,
    }
    return render(request, "imports/undo.html", context)
