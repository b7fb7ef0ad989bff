"""`rapport worker` runs the task worker and the scheduler as children and stops them together."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

STARTED = "pid "


def _env(var_dir: Path) -> dict[str, str]:
    """A process environment with its own embedded database, apart from the test database."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        RAPPORT_VAR_DIR=str(var_dir),
        RAPPORT_TASKS_BACKEND="database",
        DJANGO_SETTINGS_MODULE="rapport.settings",
        PYTHONUNBUFFERED="1",
    )
    return env


def _start_worker(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "rapport", "worker"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _child_pids(process: subprocess.Popen[str], count: int, timeout: float = 30) -> list[int]:
    """Read the supervisor's output until it has reported starting `count` children."""
    assert process.stdout is not None
    pids: list[int] = []
    deadline = time.monotonic() + timeout
    while len(pids) < count and time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        if line.startswith("Started the ") and STARTED in line:
            pids.append(int(line.rsplit(STARTED, 1)[1].strip(" .\n")))
    return pids


def _is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A child that exited but was not yet reaped by its parent shows as a zombie.
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split(") ", 1)[1][0] != "Z"


@pytest.fixture
def migrated_var(tmp_path: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "rapport", "migrate", "--verbosity", "0"],
        env=_env(tmp_path),
        check=True,
        timeout=120,
    )
    return tmp_path


def test_it_starts_the_worker_and_the_scheduler_and_stops_both_on_sigterm(migrated_var):
    process = _start_worker(_env(migrated_var))
    try:
        pids = _child_pids(process, 2)
        assert len(pids) == 2
        time.sleep(2)  # let both children get going: a stop must not catch them half-started
        assert all(_is_running(pid) for pid in pids)

        process.send_signal(signal.SIGTERM)
        process.wait(timeout=40)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

    assert process.returncode == 0
    assert not any(_is_running(pid) for pid in pids)


def test_it_stops_the_scheduler_when_the_task_worker_dies(tmp_path):
    # No migrations: the task worker fails on its first look at the queue table.
    process = _start_worker(_env(tmp_path))
    try:
        pids = _child_pids(process, 2)
        process.wait(timeout=40)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

    assert process.returncode != 0
    assert len(pids) == 2
    assert not any(_is_running(pid) for pid in pids)


def test_it_refuses_to_run_nothing(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "rapport", "worker", "--no-tasks", "--no-scheduler"],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "leave nothing to run" in result.stderr
