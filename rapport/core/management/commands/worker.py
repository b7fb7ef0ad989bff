"""`rapport worker`: the task worker and the scheduler, together, as two child processes."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# How long children get to finish their current task after SIGTERM before they are killed.
STOP_GRACE_SECONDS = 30.0
POLL_SECONDS = 0.5


def worker_command(*, reload: bool) -> list[str]:
    """The management command that runs tasks with the configured backend."""
    backend = settings.TASKS["default"]["BACKEND"]
    if backend == "django_tasks_db.DatabaseBackend":
        return ["db_worker", "--queue-name", "*", "--reload" if reload else "--no-reload"]
    if backend == "django_tasks_rq.RQBackend":
        return ["rqworker", "--job-class", "django_tasks_rq.Job", *settings.RQ_QUEUES]
    raise CommandError(
        f"The {backend} task backend has no worker: tasks run when they are enqueued. "
        "Run `rapport worker --no-tasks` for the scheduler alone."
    )


class Command(BaseCommand):
    help = (
        "Run the background task worker and the scheduler of periodic jobs together; "
        "Ctrl+C (or SIGTERM) stops both."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--no-scheduler", action="store_true", help="Run the task worker only.")
        parser.add_argument(
            "--no-tasks", action="store_true", help="Run the scheduler only (no task worker)."
        )
        parser.add_argument(
            "--reload",
            action="store_true",
            help="Restart the task worker when the code changes (database backend; development).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["no_scheduler"] and options["no_tasks"]:
            raise CommandError("--no-scheduler and --no-tasks together leave nothing to run.")
        commands: dict[str, list[str]] = {}
        if not options["no_tasks"]:
            commands["tasks"] = worker_command(reload=options["reload"])
        if not options["no_scheduler"]:
            # Rapport's own heartbeat job replaces crontask's, which only writes to the log.
            commands["scheduler"] = ["crontask", "--no-heartbeat"]
        code = Supervisor(commands, stdout=self.stdout.write).run()
        if code:
            sys.exit(code)


class Supervisor:
    """Runs child processes; when one ends or a stop signal comes, stops the others and exits."""

    def __init__(self, commands: dict[str, list[str]], *, stdout: Any) -> None:
        self.commands = commands
        self.write = stdout
        self.children: dict[str, subprocess.Popen[bytes]] = {}
        self.stopping = False

    def run(self) -> int:
        previous = {
            sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGINT, signal.SIGTERM)
        }
        try:
            for label, command in self.commands.items():
                # `python -m rapport <command>` runs it under the same settings and interpreter.
                # Its own process group: a Ctrl+C in the terminal reaches only this supervisor,
                # which forwards one SIGTERM (a second signal would make db_worker abandon the
                # task it is running).
                argv = [sys.executable, "-m", "rapport", *command]
                self.children[label] = subprocess.Popen(argv, process_group=0)  # noqa: S603
                self.write(
                    f"Started the {label} ({' '.join(command)}), pid {self.children[label].pid}."
                )
            return self._watch()
        finally:
            self._stop_all()
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True

    def _watch(self) -> int:
        while not self.stopping:
            for label, child in self.children.items():
                code = child.poll()
                if code is not None:
                    self.write(f"The {label} exited with code {code}; stopping the others.")
                    return code
            time.sleep(POLL_SECONDS)
        self.write("Stopping the worker and the scheduler…")
        return 0

    def _stop_all(self) -> None:
        running = [child for child in self.children.values() if child.poll() is None]
        for child in running:
            child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for child in running:
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
