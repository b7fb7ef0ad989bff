# ruff: noqa: N999 - the command is `rapport import`: its module must be called import.
"""`rapport import FILE --type contact [--mapping NAME] [--dry-run] [--report report.csv] ...`

Runs the whole import (the same pipeline as the wizard and the API) and ends with one line on
stdout: `rows N, accepted A, rejected R, duplicates D`. Progress goes to stderr. The exit code
is non-zero only when the file itself is unusable (or the options are wrong); rejected rows are
a normal outcome, listed in the report.
"""

from __future__ import annotations

import csv
import sys
from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from rapport.access.models import User
from rapport.imports import engine, services
from rapport.imports.mapping import IMPORTABLE_TYPES
from rapport.imports.models import ImportBatch
from rapport.imports.reading import ImportFileError


def _message(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


class Command(BaseCommand):
    help = "Import a CSV, XLSX or vCard file into Rapport records (or check it with --dry-run)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="The file to import.")
        parser.add_argument("--type", choices=IMPORTABLE_TYPES, required=True, dest="record_type")
        parser.add_argument("--mapping", help="A saved mapping's name (default: suggested).")
        parser.add_argument("--dry-run", action="store_true", help="Check only; write nothing.")
        parser.add_argument("--report", help="Write the row-by-row report to this CSV file.")
        parser.add_argument(
            "--duplicates", choices=ImportBatch.DuplicateMode.values, default="skip"
        )
        parser.add_argument(
            "--match-on", default="", help="Field that finds the record to update or skip."
        )
        parser.add_argument(
            "--all-or-nothing",
            action="store_true",
            help="Import nothing unless every row is valid.",
        )
        order = parser.add_mutually_exclusive_group()
        order.add_argument("--day-first", dest="day_first", action="store_true", default=True)
        order.add_argument("--month-first", dest="day_first", action="store_false")
        parser.add_argument("--decimal-mark", choices=["auto", ".", ","], default="auto")
        parser.add_argument(
            "--unresolved",
            choices=["reject", "report"],
            default="reject",
            help="A relation that finds nothing: reject the row, or import it without the link.",
        )
        parser.add_argument("--user", help="Import as this user (default: the first admin).")

    def _user(self, email: str | None) -> User:
        users = User.objects.filter(is_active=True)
        if email:
            user = users.filter(email__iexact=email).first()
            if user is None:
                raise CommandError(f"There is no active user “{email}”.")
            return user
        for candidate in users.select_related("role").order_by("pk"):
            if candidate.is_administrator:
                return candidate
        raise CommandError("There is no active administrator; name a user with --user.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = self._user(options["user"])
        last = [0.0]

        def progress(done: int, total: int | None, message: str) -> None:
            self.stderr.write(f"\r{message}", ending="")
            sys.stderr.flush()
            last[0] = done

        try:
            batch = services.import_run(
                acting_user=user,
                record_type=options["record_type"],
                path=options["file"],
                mapping=options["mapping"],
                options={
                    "day_first": options["day_first"],
                    "decimal_mark": options["decimal_mark"],
                    "match_on": options["match_on"],
                    "unresolved": options["unresolved"],
                },
                duplicate_mode=options["duplicates"],
                commit_mode="all_or_nothing" if options["all_or_nothing"] else "valid_only",
                dry_run=options["dry_run"],
                progress=progress,
            )
        except ImportFileError as error:
            raise CommandError(str(error)) from None
        except ValidationError as error:
            raise CommandError(_message(error)) from None
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        except OSError as error:
            raise CommandError(f"{options['file']}: {error.strerror or error}") from None
        if last[0]:
            self.stderr.write("")
        if batch.error:
            self.stderr.write(batch.error)
        if options["report"]:
            with open(options["report"], "w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                for row in services.batch_report_rows(batch=batch):
                    writer.writerow(row)
        self.stdout.write(engine.Summary.of(batch).line())
