"""Run by test_import_interrupted.py in child processes: `setup`, `commit FILE`, `state`,
`resume`, `rollback`. The database comes from the environment (the test's own)."""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rapport.settings")
    import django

    django.setup()
    from rapport.access.models import Role, User
    from rapport.customers.models import Contact
    from rapport.imports import engine, services
    from rapport.imports.models import ImportBatch, ImportRow
    from rapport.quality.dedupe.models import MatchKey

    engine.CHUNK = int(os.environ.get("IMPORT_CHUNK", "50"))
    command = sys.argv[1]
    admin_email = "interrupt-admin@example.com"

    def admin() -> Any:
        return User.objects.get(email=admin_email)

    def progress(done: int, total: int | None, message: str) -> None:
        batch = ImportBatch.objects.order_by("-pk").first()
        print(f"committed {batch.committed_through if batch else 0}", flush=True)
        time.sleep(float(os.environ.get("IMPORT_PAUSE", "0.5")))

    if command == "setup":
        User.objects.create_user(
            email=admin_email,
            password=None,
            role=Role.objects.get(key="administrator"),
            first_name="Ida",
            last_name="Interrupt",
        )
    elif command == "commit":
        services.import_run(
            acting_user=admin(), record_type="contact", path=sys.argv[2], progress=progress
        )
        print("done", flush=True)
    elif command == "resume":
        batch = ImportBatch.objects.get(status=ImportBatch.Status.COMMITTING)
        services.batch_commit(batch=batch, acting_user=admin())
    elif command == "rollback":
        batch = ImportBatch.objects.get(status=ImportBatch.Status.COMMITTING)
        engine.run_rollback(batch=batch, acting_user=admin())
        batch.status = ImportBatch.Status.FAILED
        batch.committed_through = 0
        batch.save()
    elif command == "state":
        last = ImportBatch.objects.order_by("-pk").first()
        rows = ImportRow.objects.filter(batch=last)
        print(
            json.dumps(
                {
                    "status": last.status if last else None,
                    "committed_through": last.committed_through if last else 0,
                    "counts": [last.accepted, last.rejected, last.duplicates] if last else [],
                    "created": last.created if last else 0,
                    "contacts": Contact.all_objects.count(),
                    "keys": MatchKey.objects.filter(record_type="contact").count(),
                    "row_lines": sorted(rows.values_list("line", flat=True)),
                    "created_rows": rows.filter(action="created").count(),
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
