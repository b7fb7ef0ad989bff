"""Imports as the wizard, the API and the command line drive them: upload, configure, preview,
dry run, commit, cancel, roll back, report.

Permissions: importing needs the right to create records of the type (and to edit them for
updates, checked per record by the record services); a batch is visible to the person who
uploaded it and to administrators (`batch_for_user`).

Long passes (dry run, commit, rollback) run in the worker (`tasks.py`); `*_start` enqueues them.
`import_run` and `batch_rollback` run the whole pipeline synchronously (command line, tests,
benchmarks).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from rapport.access import permissions
from rapport.imports import engine
from rapport.imports import mapping as mapping_module
from rapport.imports.models import ImportBatch, ImportMapping, ImportRow
from rapport.imports.reading import ImportFileError, Limits, open_table

__all__ = [
    "ImportFileError",
    "PreviewRow",
    "batch_cancel",
    "batch_commit",
    "batch_commit_start",
    "batch_configure",
    "batch_dry_run",
    "batch_dry_run_start",
    "batch_for_user",
    "batch_preview",
    "batch_report_rows",
    "batch_rollback",
    "batch_rollback_start",
    "batch_upload",
    "import_run",
    "mapping_delete",
    "mapping_rename",
    "mapping_save",
]

Status = ImportBatch.Status


@dataclass(frozen=True)
class PreviewRow:
    """One row of the preview: as read, and as it will be stored."""

    line: int
    cells: dict[str, str]
    values: dict[str, str]  # field → the value as stored after normalisation
    verdict: str
    reasons: list[dict[str, str]] = field(default_factory=list)
    matched: str = ""


# --- access -----------------------------------------------------------------------------------


def batch_for_user(*, user: Any, pk: int) -> ImportBatch:
    """The batch if the person uploaded it or is an administrator; Http404 otherwise."""
    batch = ImportBatch.objects.filter(pk=pk).first()
    if batch is None or not (user.is_administrator or batch.created_by_id == user.pk):
        raise Http404("No such import.")
    return batch


def _check_type(acting_user: Any, record_type: str) -> None:
    if record_type not in mapping_module.IMPORTABLE_TYPES:
        raise ValidationError(
            {
                "record_type": f"“{record_type}” cannot be imported; choose one of "
                + ", ".join(mapping_module.IMPORTABLE_TYPES)
                + "."
            }
        )
    permissions.check(acting_user, "create", record_type)


def _check_owner(batch: ImportBatch, acting_user: Any) -> None:
    if not (acting_user.is_administrator or batch.created_by_id == acting_user.pk):
        raise PermissionDenied("This import belongs to someone else.")


# --- upload and configure ---------------------------------------------------------------------


def _saved_mapping_for(record_type: str, headers: list[str]) -> ImportMapping | None:
    """A saved mapping made for exactly these headers (the same export or legacy file)."""
    wanted = set(headers)
    for saved in ImportMapping.objects.filter(record_type=record_type).order_by("-updated_at"):
        if set(saved.columns) == wanted:
            return saved
    return None


@transaction.atomic
def batch_upload(
    *, acting_user: Any, record_type: str, uploaded_file: File[Any], file_name: str
) -> ImportBatch:
    """Store an uploaded file as a new batch with its headers read and a mapping suggested.

    Raises ImportFileError (nothing saved) when the file cannot be imported at all.
    """
    _check_type(acting_user, record_type)
    suffix = Path(file_name).suffix.lower()[:10]
    handle, temp_name = tempfile.mkstemp(prefix="rapport-import-", suffix=suffix)
    try:
        with os.fdopen(handle, "wb") as temp:
            if hasattr(uploaded_file, "chunks"):
                for piece in uploaded_file.chunks():
                    temp.write(piece)
            else:
                uploaded_file.seek(0)
                shutil.copyfileobj(uploaded_file, temp)
        # Limits() reads RAPPORT_IMPORT_MAX_BYTES now, not when the module was imported.
        table = open_table(temp_name, file_name=file_name, limits=Limits())
        headers = list(table.headers)
        saved = _saved_mapping_for(record_type, headers)
        fields = {f.name for f in mapping_module.importable_fields(record_type, acting_user)}
        if saved is not None:
            suggested = {h: (n if n in fields else "") for h, n in saved.columns.items()}
            options = dict(saved.options)
        else:
            suggested = mapping_module.mapping_suggest(record_type, headers, acting_user)
            options = {}
        batch = ImportBatch(
            record_type=record_type,
            file_name=Path(file_name).name[:255] or "upload",
            file_format=table.file_format,
            encoding=table.encoding,
            delimiter=table.delimiter,
            headers=headers,
            mapping=suggested,
            saved_mapping=saved,
            options=options,
            created_by=acting_user,
        )
        with open(temp_name, "rb") as stored:
            batch.file.save(batch.file_name, File(stored), save=False)
        batch.save()
    finally:
        Path(temp_name).unlink(missing_ok=True)
    return batch


CONFIGURABLE = (Status.UPLOADED, Status.CHECKED, Status.CANCELLED, Status.FAILED)


@transaction.atomic
def batch_configure(
    *,
    batch: ImportBatch,
    acting_user: Any,
    mapping: dict[str, str],
    options: dict[str, Any],
    duplicate_mode: str,
    commit_mode: str,
    save_as: str = "",
) -> ImportBatch:
    """Set the column mapping and options (optionally saved as a reusable mapping).

    ValidationError names the header or field: a column the file does not have, a field that
    does not exist or may not be imported, a field mapped twice, a required field left out.
    """
    _check_owner(batch, acting_user)
    if batch.status not in CONFIGURABLE:
        raise ValidationError("This import is running or done; its mapping can no longer change.")
    fields = {f.name: f for f in mapping_module.importable_fields(batch.record_type, acting_user)}
    errors: dict[str, list[str]] = {}
    used: dict[str, str] = {}
    clean: dict[str, str] = {}
    for header, name in mapping.items():
        name = (name or "").strip()
        if header not in batch.headers:
            errors.setdefault(header, []).append(f"The file has no column “{header}”.")
            continue
        clean[header] = name
        if not name:
            continue
        if name not in fields:
            errors.setdefault(header, []).append(
                f"“{name}” is not a field you may import into {batch.record_type} records."
            )
        elif name in used:
            errors.setdefault(header, []).append(
                f"{fields[name].label} is already mapped from the column “{used[name]}”."
            )
        else:
            used[name] = header
    for header in batch.headers:
        clean.setdefault(header, "")
    try:
        parsed = engine.Options.from_dict(options)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
        parsed = engine.Options()
    if duplicate_mode not in ImportBatch.DuplicateMode.values:
        errors.setdefault("duplicate_mode", []).append("Duplicates are skip, update or create.")
    if commit_mode not in ImportBatch.CommitMode.values:
        errors.setdefault("commit_mode", []).append(
            "The commit mode is valid_only or all_or_nothing."
        )
    if parsed.match_on and parsed.match_on not in used:
        errors.setdefault("match_on", []).append(
            f"Match on “{parsed.match_on}”: map a column onto that field first."
        )
    updating = duplicate_mode == ImportBatch.DuplicateMode.UPDATE and (
        parsed.match_on or mapping_module.ID_FIELD in used or "external_id" in used
    )
    if not updating:
        for name, item in fields.items():
            if item.required and name not in used:
                errors.setdefault(name, []).append(
                    f"{item.label} is required: map a column onto it."
                )
    if errors:
        raise ValidationError(errors)
    history = bool(set(used) & set(mapping_module.HISTORY_FIELDS))
    stored_options = {**parsed.as_dict(), "keep_history": history}
    batch.mapping = clean
    batch.options = stored_options
    batch.duplicate_mode = duplicate_mode
    batch.commit_mode = commit_mode
    batch.status = Status.UPLOADED
    batch.error = ""
    batch.cancel_requested = False
    if save_as.strip():
        batch.saved_mapping = mapping_save(
            acting_user=acting_user,
            record_type=batch.record_type,
            name=save_as.strip(),
            columns=clean,
            options=stored_options,
        )
    batch.save()
    return batch


@transaction.atomic
def mapping_save(
    *,
    acting_user: Any,
    record_type: str,
    name: str,
    columns: Mapping[str, str],
    options: Mapping[str, Any] | None = None,
) -> ImportMapping:
    """Save (or replace) a named mapping; someone else's mapping is changed only by admins."""
    if record_type not in mapping_module.IMPORTABLE_TYPES:
        raise ValidationError({"record_type": f"“{record_type}” cannot be imported."})
    if not name or len(name) > 100:
        raise ValidationError({"name": "Give the mapping a name of at most 100 characters."})
    fields = {f.name for f in mapping_module.importable_fields(record_type, acting_user)}
    unknown = sorted({n for n in columns.values() if n and n not in fields})
    if unknown:
        raise ValidationError({"columns": "Not importable fields: " + ", ".join(unknown) + "."})
    engine.Options.from_dict(options)
    existing = ImportMapping.objects.filter(record_type=record_type, name=name).first()
    if existing is not None:
        if existing.owner_id != acting_user.pk and not acting_user.is_administrator:
            raise ValidationError({"name": f"A mapping named “{name}” exists already."})
        existing.columns = dict(columns)
        existing.options = dict(options or {})
        existing.save()
        return existing
    return ImportMapping.objects.create(
        record_type=record_type,
        name=name,
        columns=dict(columns),
        options=dict(options or {}),
        owner=acting_user,
    )


@transaction.atomic
def mapping_delete(*, acting_user: Any, saved: ImportMapping) -> None:
    if saved.owner_id != acting_user.pk and not acting_user.is_administrator:
        raise PermissionDenied("Only its owner or an administrator may delete this mapping.")
    saved.delete()


@transaction.atomic
def mapping_rename(*, acting_user: Any, saved: ImportMapping, name: str) -> ImportMapping:
    """Give a saved mapping a new name, unique among the mappings of its record type.

    Past imports are not affected: each keeps its own copy of the columns (`ImportBatch.mapping`).
    """
    if saved.owner_id != acting_user.pk and not acting_user.is_administrator:
        raise PermissionDenied("Only its owner or an administrator may rename this mapping.")
    name = name.strip()
    if not name or len(name) > 100:
        raise ValidationError({"name": "Give the mapping a name of at most 100 characters."})
    taken = ImportMapping.objects.filter(record_type=saved.record_type, name=name).exclude(
        pk=saved.pk
    )
    if taken.exists():
        raise ValidationError(
            {"name": f"A {saved.record_type} mapping named “{name}” exists already."}
        )
    previous, saved.name = saved.name, name
    try:
        # The unique constraint settles a race with someone saving the same name meanwhile.
        with transaction.atomic():
            saved.save(update_fields=["name", "updated_at"])
    except IntegrityError:
        saved.name = previous
        raise ValidationError(
            {"name": f"A {saved.record_type} mapping named “{name}” exists already."}
        ) from None
    return saved


def mapping_resolve(*, record_type: str, name: str) -> ImportMapping:
    """A saved mapping by name (ValidationError naming it when there is none)."""
    found = ImportMapping.objects.filter(record_type=record_type, name=name).first()
    if found is None:
        raise ValidationError({"mapping": f"There is no saved {record_type} mapping “{name}”."})
    return found


# --- preview ----------------------------------------------------------------------------------


def batch_preview(*, batch: ImportBatch, acting_user: Any, limit: int = 20) -> list[PreviewRow]:
    """The first rows as they will be stored, with their verdict (nothing is written)."""
    _check_owner(batch, acting_user)
    results = engine.preview(batch=batch, acting_user=acting_user, limit=limit)
    mapped = [n for n in batch.mapping.values() if n and n != mapping_module.ID_FIELD]
    rows: list[PreviewRow] = []
    for result in results:
        values = (
            {name: engine.display_value(result.obj, name) for name in mapped}
            if result.obj is not None and not result.errors
            else {}
        )
        matched = ""
        if result.matched_id is not None:
            matched = f"{result.matched_name} ({result.matched_type} #{result.matched_id})"
        elif result.matched_line is not None:
            matched = f"line {result.matched_line}"
        rows.append(
            PreviewRow(
                line=result.line,
                cells=result.cells,
                values=values,
                verdict=result.verdict,
                reasons=result.reasons,
                matched=matched,
            )
        )
    return rows


# --- running: synchronous ---------------------------------------------------------------------


def _set(batch: ImportBatch, **values: Any) -> None:
    for name, value in values.items():
        setattr(batch, name, value)
    batch.save(update_fields=[*values, "updated_at"])


def batch_dry_run(
    *, batch: ImportBatch, acting_user: Any, progress: engine.Progress | None = None
) -> ImportBatch:
    """Check every row and keep the report; status CHECKED (or CANCELLED)."""
    _set(batch, status=Status.CHECKING, error="")
    try:
        engine.run_dry(batch=batch, acting_user=acting_user, progress=progress)
    except engine.ImportCancelledError:
        _set(batch, status=Status.CANCELLED, cancel_requested=False)
        return batch
    except ImportFileError as error:
        _set(batch, status=Status.FAILED, error=str(error))
        return batch
    except ValidationError as error:
        _set(batch, status=Status.FAILED, error=" ".join(error.messages))
        raise
    _set(batch, status=Status.CHECKED, checked_at=timezone.now(), rows_total=batch.rows_total)
    return batch


def _refuse_all_or_nothing(batch: ImportBatch) -> None:
    if (
        batch.commit_mode == ImportBatch.CommitMode.ALL_OR_NOTHING
        and batch.status == Status.CHECKED
        and batch.rejected
    ):
        raise ValidationError(
            f"The dry run rejected {batch.rejected} rows and this import is all-or-nothing: "
            "fix the file (download the report) or import the valid rows only."
        )


def batch_commit(
    *, batch: ImportBatch, acting_user: Any, progress: engine.Progress | None = None
) -> ImportBatch:
    """Write the batch (resuming after `committed_through`); COMMITTED, or CANCELLED / FAILED
    with nothing left in the database."""
    if batch.status != Status.COMMITTING:
        _refuse_all_or_nothing(batch)
        _set(batch, status=Status.COMMITTING, error="")
    try:
        engine.run_commit(batch=batch, acting_user=acting_user, progress=progress)
    except engine.ImportCancelledError:
        engine.run_rollback(batch=batch, acting_user=acting_user, progress=progress)
        _set(batch, status=Status.CANCELLED, cancel_requested=False, committed_through=0)
        return batch
    except engine.CommitRefusedError as error:
        batch.refresh_from_db()
        _set(batch, status=Status.FAILED, error=str(error), committed_through=0)
        return batch
    except ImportFileError as error:
        engine.run_rollback(batch=batch, acting_user=acting_user)
        _set(batch, status=Status.FAILED, error=str(error), committed_through=0)
        return batch
    except ValidationError as error:  # a mapping the importer may no longer use
        engine.run_rollback(batch=batch, acting_user=acting_user)
        _set(batch, status=Status.FAILED, error=" ".join(error.messages), committed_through=0)
        raise
    _set(
        batch,
        status=Status.COMMITTED,
        committed_at=timezone.now(),
        rows_total=batch.rows_total,
    )
    return batch


def batch_rollback(
    *, batch: ImportBatch, acting_user: Any, progress: engine.Progress | None = None
) -> ImportBatch:
    """Undo a committed batch: created records deleted, updated ones restored (≤ 30 days).

    ValidationError when the batch cannot be rolled back (too old, not committed, or created
    records that gained related records since, named in the message).
    """
    _check_owner(batch, acting_user)
    if batch.status != Status.ROLLING_BACK:
        if not batch.can_roll_back:
            raise ValidationError(_rollback_refusal(batch))
        _set(batch, status=Status.ROLLING_BACK)
    try:
        engine.run_rollback(batch=batch, acting_user=acting_user, progress=progress)
    except engine.RollbackRefusedError as error:
        _set(batch, status=Status.COMMITTED)
        raise ValidationError(str(error)) from None
    _set(
        batch, status=Status.ROLLED_BACK, rolled_back_at=timezone.now(), rolled_back_by=acting_user
    )
    return batch


def _rollback_refusal(batch: ImportBatch) -> str:
    if batch.status != Status.COMMITTED:
        return "Only an import that was committed can be rolled back."
    return (
        f"Imports can be rolled back for {engine_rollback_days()} days; this one was "
        "imported longer ago."
    )


def engine_rollback_days() -> int:
    from rapport.imports.models import ROLLBACK_DAYS

    return ROLLBACK_DAYS


def import_run(
    *,
    acting_user: Any,
    record_type: str,
    path: str | Path,
    mapping: dict[str, str] | str | None = None,
    options: dict[str, Any] | None = None,
    duplicate_mode: str = "skip",
    commit_mode: str = "valid_only",
    dry_run: bool = False,
    progress: engine.Progress | None = None,
    file_name: str = "",
) -> ImportBatch:
    """Upload, configure, dry-run or commit a file in one go (command line, tests, bench).

    `mapping`: header → field, the name of a saved mapping, or None for the suggestion.
    Raises ImportFileError when the file is unusable and ValidationError for a bad mapping.
    """
    source = Path(path)
    with source.open("rb") as handle:
        batch = batch_upload(
            acting_user=acting_user,
            record_type=record_type,
            uploaded_file=File(handle),
            file_name=file_name or source.name,
        )
    chosen_options = dict(options or {})
    if isinstance(mapping, str):
        saved = mapping_resolve(record_type=record_type, name=mapping)
        columns = {h: saved.columns.get(h, "") for h in batch.headers}
        chosen_options = {**saved.options, **chosen_options}
        batch.saved_mapping = saved
    elif mapping is None:
        columns = dict(batch.mapping)
    else:
        columns = dict(mapping)
    for name in ("keep_history",):
        chosen_options.pop(name, None)
    batch_configure(
        batch=batch,
        acting_user=acting_user,
        mapping=columns,
        options=chosen_options,
        duplicate_mode=duplicate_mode,
        commit_mode=commit_mode,
    )
    if dry_run:
        return batch_dry_run(batch=batch, acting_user=acting_user, progress=progress)
    return batch_commit(batch=batch, acting_user=acting_user, progress=progress)


# --- running: in the worker -------------------------------------------------------------------


def _enqueue(task: Any, batch: ImportBatch, acting_user: Any, message: str) -> None:
    from rapport.core.progress import task_enqueue

    result = task_enqueue(
        task=task, acting_user=acting_user, kwargs={"batch_id": batch.pk}, message=message
    )
    _set(batch, task_id=str(result.id)[:64])


def batch_dry_run_start(*, batch: ImportBatch, acting_user: Any) -> ImportBatch:
    """Enqueue the dry run; status CHECKING with the task id (the progress bar's)."""
    from rapport.imports import tasks

    _check_owner(batch, acting_user)
    if batch.status not in CONFIGURABLE:
        raise ValidationError("This import is running or done.")
    _set(batch, status=Status.CHECKING, error="", cancel_requested=False)
    _enqueue(tasks.import_dry_run, batch, acting_user, "Checking rows")
    batch.refresh_from_db()
    return batch


def batch_commit_start(*, batch: ImportBatch, acting_user: Any) -> ImportBatch:
    """Enqueue the commit; status COMMITTING."""
    from rapport.imports import tasks

    _check_owner(batch, acting_user)
    if batch.status not in (Status.UPLOADED, Status.CHECKED):
        raise ValidationError("Only an import that is not running or done can be committed.")
    _refuse_all_or_nothing(batch)
    _set(batch, status=Status.COMMITTING, error="", cancel_requested=False, committed_through=0)
    _enqueue(tasks.import_commit, batch, acting_user, "Importing rows")
    batch.refresh_from_db()
    return batch


def batch_cancel(*, batch: ImportBatch, acting_user: Any) -> ImportBatch:
    """Stop a running dry run or commit at its next chunk (a commit undoes what it wrote), or
    drop a batch that is waiting."""
    _check_owner(batch, acting_user)
    if batch.status in (Status.CHECKING, Status.COMMITTING):
        _set(batch, cancel_requested=True)
    elif batch.status in (Status.UPLOADED, Status.CHECKED, Status.FAILED):
        _set(batch, status=Status.CANCELLED)
    else:
        raise ValidationError("This import is done; roll it back instead.")
    return batch


def batch_rollback_start(*, batch: ImportBatch, acting_user: Any) -> ImportBatch:
    """Enqueue the rollback; status ROLLING_BACK. Refusals (too old, related records) come
    back as ValidationError before anything is enqueued when they can be known up front."""
    from rapport.imports import tasks

    _check_owner(batch, acting_user)
    if not batch.can_roll_back:
        raise ValidationError(_rollback_refusal(batch))
    _set(batch, status=Status.ROLLING_BACK, error="")
    _enqueue(tasks.import_rollback, batch, acting_user, "Undoing the import")
    batch.refresh_from_db()
    return batch


# --- report -----------------------------------------------------------------------------------


def batch_report_rows(*, batch: ImportBatch) -> Iterator[list[str]]:
    """The downloadable CSV: the header row, then every row's original cells + line, verdict,
    action, field, reason, matched record, score."""
    return engine.report_rows(batch=batch)


def batch_rows_rejected(*, batch: ImportBatch) -> int:
    return ImportRow.objects.filter(batch=batch, verdict=ImportRow.Verdict.REJECTED).count()
