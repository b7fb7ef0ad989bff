"""`rapport duplicates rebuild-keys` and `rapport duplicates scan --type contact --output F`."""

from __future__ import annotations

import csv
import resource
import sys
import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from rapport.quality.dedupe.scan import SCANS, duplicates_scan, scan_pairs
from rapport.quality.dedupe.services import RECORD_TYPES, keys_rebuild


def _peak_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Command(BaseCommand):
    help = "Duplicate matching: rebuild the match keys, or scan for duplicate pairs."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        rebuild = sub.add_parser("rebuild-keys", help="Recompute every match key from the records.")
        rebuild.add_argument("--type", choices=RECORD_TYPES, action="append", dest="types")
        scan = sub.add_parser("scan", help="Score the candidate pairs of one record type.")
        scan.add_argument("--type", choices=sorted(SCANS), default="contact", dest="scan_type")
        scan.add_argument("--output", help="Write every scored pair to this CSV file.")
        scan.add_argument(
            "--queue", action="store_true", help="Put the likely duplicates in the review queue."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        if options["action"] == "rebuild-keys":
            written = keys_rebuild(record_types=options["types"] or RECORD_TYPES)
            self.stdout.write(f"{written} match keys written in {time.monotonic() - started:.1f}s")
            return
        record_type = options["scan_type"]

        def progress(done: int) -> None:
            self.stderr.write(f"\r{done} pairs scored", ending="")
            sys.stderr.flush()

        if options["queue"]:
            summary = duplicates_scan(record_type=record_type, acting_user=None, progress=progress)
            self.stdout.write(f"\n{summary.compared} pairs compared, {summary.proposed} proposed")
        elif options["output"]:
            count = 0
            with open(options["output"], "w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(
                    ["type", "id", "external_id", "other_type", "other_id", "other_external_id",
                     "score", "reasons"]
                )  # fmt: skip
                for pair in scan_pairs(record_type, progress=progress):
                    writer.writerow(
                        [pair.record_type, pair.object_id, pair.external_id, pair.other_type,
                         pair.other_id, pair.other_external_id, pair.score, "; ".join(pair.reasons)]
                    )  # fmt: skip
                    count += 1
            self.stdout.write(f"\n{count} pairs written to {options['output']}")
        else:
            raise CommandError("Say where the pairs go: --output FILE or --queue.")
        self.stdout.write(f"{time.monotonic() - started:.1f}s, peak memory {_peak_mb():.0f} MB")
