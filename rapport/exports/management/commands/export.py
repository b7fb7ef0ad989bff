"""`rapport export --type contact --format csv|xlsx --output FILE [--filter CONDITION] [--raw]
[--user EMAIL]`: the records of a type in a file, as the list's Export menu writes it.

With --user the export is that person's: their scope, their field security, raw only for an
administrator. Without it the command reads every record and field (it has the database anyway).
--filter takes a condition in the conditions engine's text form (docs/conditions.md).
"""

from __future__ import annotations

import time
from argparse import ArgumentParser
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from rapport.access import permissions
from rapport.access.models import User
from rapport.core import conditions, records
from rapport.exports import services


def _referenced_fields(node: conditions.Node) -> Iterator[str]:
    """The record's own fields and relations a condition reads (first step of each path)."""
    if isinstance(node, conditions.AllOf | conditions.AnyOf):
        for item in node.items:
            yield from _referenced_fields(item)
    elif isinstance(node, conditions.Not):
        yield from _referenced_fields(node.item)
    elif isinstance(node, conditions.Compare):
        yield node.field.split(".")[0]
        if isinstance(node.value, conditions.FieldRef):
            yield node.value.field.split(".")[0]
    elif isinstance(node, conditions.Count | conditions.Exists):
        yield node.relation.split(".")[0]


class Command(BaseCommand):
    help = "Export the records of a type to a CSV or XLSX file, optionally filtered by a condition."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--type",
            required=True,
            dest="record_type",
            choices=sorted(t.key for t in records.all_types()),
            help="The record type, e.g. contact.",
        )
        parser.add_argument("--format", choices=("csv", "xlsx"), default="csv", dest="file_format")
        parser.add_argument("--output", required=True, help="The file to write.")
        parser.add_argument(
            "--filter",
            dest="condition",
            default="",
            help="Only the records matching a condition, e.g. 'city = \"Berlin\"'.",
        )
        parser.add_argument(
            "--raw", action="store_true", help="Write text untouched (no formula neutralising)."
        )
        parser.add_argument(
            "--user", default="", help="Export as this person (their e-mail address)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        record_type: str = options["record_type"]
        user: User | None = None
        if options["user"]:
            user = User.objects.filter(email__iexact=options["user"], is_active=True).first()
            if user is None:
                raise CommandError(f"No active person has the e-mail address {options['user']}.")
        queryset: Any = records.get(record_type).model._default_manager.all()
        if options["condition"]:
            try:
                condition = conditions.parse(options["condition"], record_type)
            except conditions.ConditionError as error:
                raise CommandError(f"--filter: {error}", returncode=2) from error
            hidden = permissions.hidden_fields_of(user, record_type) if user else frozenset()
            refused = sorted(set(_referenced_fields(condition)) & hidden)
            if refused:
                raise CommandError(
                    f"--filter: {user} may not filter by {', '.join(refused)}.", returncode=2
                )
            queryset = queryset.filter(conditions.to_query(condition, queryset.model))
        try:
            if options["file_format"] == "csv":
                written = services.export_csv_file(
                    user=user,
                    record_type=record_type,
                    queryset=queryset,
                    path=options["output"],
                    raw=options["raw"],
                )
            else:
                written = services.export_xlsx(
                    user=user,
                    record_type=record_type,
                    queryset=queryset,
                    path=options["output"],
                    raw=options["raw"],
                )
        except PermissionDenied as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{written} rows written to {options['output']} in {time.monotonic() - started:.1f}s"
        )
