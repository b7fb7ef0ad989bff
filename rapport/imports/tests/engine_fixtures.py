"""Helpers for the import engine's tests: files written to tmp_path, imports run in one call."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from rapport.imports import services
from rapport.imports.models import ImportBatch


def write_csv(path: Path, rows: list[list[str]], *, delimiter: str = ",") -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def run(
    user: Any,
    path: Path,
    *,
    record_type: str = "contact",
    dry_run: bool = False,
    **kwargs: Any,
) -> ImportBatch:
    return services.import_run(
        acting_user=user, record_type=record_type, path=path, dry_run=dry_run, **kwargs
    )


def report(batch: ImportBatch) -> list[dict[str, str]]:
    rows = list(services.batch_report_rows(batch=batch))
    header = rows[0]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]
