"""A big import keeps PostgreSQL's statistics of the match keys current, so each chunk's
candidate lookup stays a few index probes per row however much the import adds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rapport.imports import engine
from rapport.imports.tests.engine_fixtures import run, write_csv

pytestmark = pytest.mark.django_db


def _analyses(context: CaptureQueriesContext) -> int:
    return sum(q["sql"].startswith("ANALYZE") for q in context.captured_queries)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner only")
def test_the_match_keys_are_analysed_again_as_an_import_grows(
    admin_user: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "CHUNK", 2)
    monkeypatch.setattr(engine, "ANALYZE_EVERY_ROWS", 3)
    rows = [["First name", "Last name", "Email"]] + [
        [f"Ann{n}", f"Lee{n}", f"ann{n}@example{n}.com"] for n in range(8)
    ]
    with CaptureQueriesContext(connection) as context:
        batch = run(admin_user, write_csv(tmp_path / "people.csv", rows))
    assert batch.created == 8
    # Chunks of 2 and a threshold of 3 rows: analysed once the 4th row is in.
    assert _analyses(context) >= 1


def test_a_small_import_never_analyses(admin_user: Any, tmp_path: Path) -> None:
    rows = [["First name", "Last name"], ["Ann", "Lee"], ["Bo", "Chan"]]
    with CaptureQueriesContext(connection) as context:
        run(admin_user, write_csv(tmp_path / "people.csv", rows))
    assert _analyses(context) == 0
