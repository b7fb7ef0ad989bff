"""`rapport demo`: load the demo organisation, the same every time for the same seed."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from rapport.demo.builder import DEFAULT_SEED, demo_build, demo_exists, demo_login_lines


class Command(BaseCommand):
    help = (
        "Load the demo organisation (offices, teams, about 40 people in every role, a year of "
        "sales history and usage) into an "
        "empty database, deterministically from a seed."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help="The seed of names and choices; the same seed builds the same organisation "
            "(default: %(default)s).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing, successfully, when people already exist (used by `make run`).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if demo_exists():
            if options["if_empty"]:
                self.stdout.write("People already exist: the demo organisation was not loaded.")
                return
            raise CommandError(
                "People already exist: the demo organisation only goes into an empty database "
                "(start from a fresh one, e.g. remove var/rapport.sqlite3 and migrate)."
            )
        started = time.monotonic()
        summary = demo_build(seed=options["seed"], log=lambda line: self.stdout.write(line))
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded the demo organisation (seed {summary.seed}): {summary.offices} offices, "
                f"{summary.teams} teams, {summary.people} people in "
                f"{time.monotonic() - started:.1f}s."
            )
        )
        for line in demo_login_lines():
            self.stdout.write(f"  {line}")
