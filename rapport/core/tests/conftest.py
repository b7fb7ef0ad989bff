"""Fixtures for the background-work tests."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator

import pytest
from django.core.management import call_command


@pytest.fixture
def run_worker() -> Iterator[Callable[[], None]]:
    """Run the database task worker in this process until the queue is empty.

    db_worker installs its own SIGINT/SIGTERM handlers; they are put back afterwards so Ctrl+C
    still stops pytest.
    """
    signals = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
    saved = {sig: signal.getsignal(sig) for sig in signals}

    def run() -> None:
        call_command(
            "db_worker",
            "--batch",
            "--no-startup-delay",
            "--no-reload",
            "--queue-name",
            "*",
            verbosity=0,
        )

    yield run
    for sig, handler in saved.items():
        signal.signal(sig, handler)
