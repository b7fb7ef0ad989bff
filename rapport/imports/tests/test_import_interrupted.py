"""A worker killed (SIGKILL) in the middle of a commit leaves the database at a chunk boundary:
no half chunk. A resumed commit finishes the file exactly once; a rollback leaves nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from rapport.imports.tests.engine_fixtures import write_csv

SCRIPT = str(Path(__file__).with_name("interrupt_script.py"))
ROWS = 600
CHUNK = 50


@pytest.fixture
def child_env(transactional_db: None, tmp_path: Path) -> dict[str, str]:
    """The child processes' environment: this test's PostgreSQL database, or an embedded
    database of their own (an in-memory SQLite test database cannot be shared)."""
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="rapport.settings",
        PYTHONUNBUFFERED="1",
        IMPORT_CHUNK=str(CHUNK),
        RAPPORT_VAR_DIR=str(tmp_path / "var"),
    )
    if connection.vendor == "postgresql":
        settings = connection.settings_dict
        env["DATABASE_URL"] = (
            f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}@{settings['HOST']}:"
            f"{settings['PORT'] or 5432}/{settings['NAME']}"
        )
    else:
        env.pop("DATABASE_URL", None)
        _child(env, "migrate", module="rapport")
    _child(env, "setup")
    return env


def _child(env: dict[str, str], *args: str, module: str = "") -> str:
    command = [sys.executable, "-m", module, *args] if module else [sys.executable, SCRIPT, *args]
    done = subprocess.run(
        [*command, "--verbosity", "0"] if module else command,
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _state(env: dict[str, str]) -> dict[str, Any]:
    state: dict[str, Any] = json.loads(_child(env, "state").strip().splitlines()[-1])
    return state


def _killed_mid_commit(env: dict[str, str], path: Path) -> dict[str, Any]:
    process = subprocess.Popen(
        [sys.executable, SCRIPT, "commit", str(path)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    try:
        for line in process.stdout:
            if line.startswith("committed ") and int(line.split()[1]) > 1:
                break
        else:
            pytest.fail(
                "the commit never reported a chunk: "
                + (process.stderr.read() if process.stderr else "")
            )
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    return _state(env)


def _file(tmp_path: Path) -> Path:
    rows = [["First name", "Last name", "E-mail"]]
    for n in range(ROWS):
        rows.append([f"First{n}", f"Last{n}" if n % 37 else "", f"person{n}@example.com"])
    return write_csv(tmp_path / "people.csv", rows)


def _assert_no_partial_chunk(state: dict[str, Any]) -> None:
    assert state["status"] == "committing"
    through = state["committed_through"]
    assert through > 1
    assert (through - 1) % CHUNK == 0  # a chunk boundary
    assert state["row_lines"] == list(range(2, through + 1))  # every committed row, none after
    assert state["contacts"] == state["created_rows"]
    assert sum(state["counts"]) == through - 1


def test_a_killed_commit_resumes_to_a_complete_import(child_env, tmp_path: Path) -> None:
    state = _killed_mid_commit(child_env, _file(tmp_path))
    _assert_no_partial_chunk(state)

    _child(child_env, "resume")

    done = _state(child_env)
    assert done["status"] == "committed"
    assert done["row_lines"] == list(range(2, ROWS + 2))
    assert sum(done["counts"]) == ROWS
    rejected = len([n for n in range(ROWS) if n % 37 == 0])
    assert done["counts"] == [ROWS - rejected, rejected, 0]
    assert done["contacts"] == ROWS - rejected


def test_a_killed_commit_rolls_back_clean(child_env, tmp_path: Path) -> None:
    _assert_no_partial_chunk(_killed_mid_commit(child_env, _file(tmp_path)))

    _child(child_env, "rollback")

    state = _state(child_env)
    assert state["contacts"] == 0
    assert state["keys"] == 0
