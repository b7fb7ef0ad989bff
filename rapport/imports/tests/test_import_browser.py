"""Importing a messy contact file in a real browser, with the task worker doing the work.

The file is what a legacy export looks like: Windows-1252 with `;` between the values, German
headers (one of them, "Zuname", not recognised, so the required last name must be mapped by
hand), a row with a broken e-mail address and a row for a contact that exists already. The
person fixes the mapping, reads the preview and the dry-run report (the counts add up, the
rejected row says why), imports, finds the new contacts, then undoes the import and they are
gone. The dry run, the import and the undo are queued for the worker: the page shows the
progress bar, the worker runs (`db_worker --batch`) and the page reloads itself. No CSP
violation and no script error on the way; screenshots go to
test-artifacts/screenshots/import-*.png.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.management import call_command

from rapport.access import crud
from rapport.customers.models import Contact
from rapport.imports.models import ImportBatch

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.browser,
]
PASSWORD = "correct-horse-battery"
MESSY_FILE = (
    "Vorname;Zuname;E-Mail-Adresse;Telefon;Position;Ort\r\n"
    "José;Müller;Jose.Mueller@Example.com;+49 30 1234567;Einkäuferin;Köln\r\n"
    "Zoë;Brontë;zoe@@example;;Autorin;Haworth\r\n"
    "Ada;Lovelace;ada@acme.example;;;London\r\n"
    '"François";"Côté";francois.cote@example.com;;"Directeur, achats";Zürich\r\n'
).encode("cp1252")


@pytest.fixture(autouse=True)
def _database_tasks_and_media(settings: Any, tmp_path: Any) -> None:
    """The queue of production (the database backend); uploads in a temporary directory."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def run_worker() -> Iterator[Callable[[], None]]:
    """Run the database task worker in this process until the queue is empty.

    db_worker installs its own signal handlers; they are put back afterwards.
    """
    signals = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
    saved = {sig: signal.getsignal(sig) for sig in signals}

    def run() -> None:
        call_command(
            "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--queue-name", "*"
        )

    yield run
    for sig, handler in saved.items():
        signal.signal(sig, handler)


def _no_problems(page: Any, problems: Any) -> None:
    assert page.evaluate("window.__cspViolations") == []
    assert problems.console_errors == []
    assert problems.page_errors == []


def test_a_messy_file_is_mapped_checked_imported_and_undone(
    page: Any,
    live_server: Any,
    make_user: Any,
    screenshot: Any,
    browser_problems: Any,
    run_worker: Callable[[], None],
) -> None:
    manager = make_user(
        role="sales_manager", first_name="Mia", last_name="Manager", email="mia@example.com"
    )
    manager.set_password(PASSWORD)
    manager.save()
    existing: Contact = crud.record_create(
        record_type="contact",
        acting_user=manager,
        values={"first_name": "Ada", "last_name": "Lovelace", "email": "ada@acme.example"},
    )

    page.goto(f"{live_server.url}/login/")
    page.get_by_label("E-mail").fill(manager.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")

    # Imports are under Clean data; nothing imported yet.
    page.get_by_role("link", name="Imports").click()
    page.wait_for_selector("text=No imports yet")
    screenshot("import-01-empty-list")
    page.get_by_role("link", name="Import a file").first.click()

    # Upload.
    page.get_by_label("Import as").select_option("contact")
    page.locator("input[type=file]").set_input_files(
        {"name": "legacy-kontakte.csv", "mimeType": "text/csv", "buffer": MESSY_FILE}
    )
    _no_problems(page, browser_problems)
    screenshot("import-02-upload")
    page.get_by_role("button", name="Upload and map columns").click()
    page.wait_for_selector("text=Map the columns of legacy-kontakte.csv")
    batch = ImportBatch.objects.get()
    assert batch.encoding.lower().replace("-", "") in {"cp1252", "windows1252"}
    assert page.get_by_text("semicolon").is_visible()
    assert page.get_by_text("Müller").first.is_visible()  # a sample, decoded right
    assert page.get_by_label("Vorname").input_value() == "first_name"
    assert page.get_by_label("Zuname").input_value() == ""
    assert page.get_by_text("Last name — not mapped").is_visible()
    _no_problems(page, browser_problems)
    screenshot("import-03-mapping-suggested")

    # Submitting as suggested: the required last name is named.
    page.get_by_role("button", name="Preview the rows").click()
    page.wait_for_selector("text=Last name is required: map a column onto it.")
    _no_problems(page, browser_problems)
    screenshot("import-04-mapping-error")

    # The page points out a field chosen twice as soon as it happens.
    page.get_by_label("Ort", exact=True).select_option("email")
    twice = page.locator("[data-twice]:visible")
    assert twice.count() == 2  # E-Mail-Adresse and Ort
    assert twice.first.inner_text() == "This field is chosen for another column too."
    page.get_by_label("Ort", exact=True).select_option("city")
    assert twice.count() == 0

    # The fix: Zuname is the last name; the required badge turns green at once.
    page.get_by_label("Zuname").select_option("last_name")
    badge = page.locator('[data-required-field="last_name"]')
    assert "badge-green" in (badge.get_attribute("class") or "")
    assert badge.inner_text() == "Last name"
    screenshot("import-04b-mapping-fixed")
    page.get_by_role("button", name="Preview the rows").click()
    page.wait_for_selector("text=The first rows as they will be stored")
    jose = page.locator("tr", has=page.get_by_role("cell", name="2", exact=True))
    assert "jose.mueller@example.com" in jose.inner_text().lower()
    assert "Jose.Mueller@Example.com" in jose.inner_text()  # the original, below
    _no_problems(page, browser_problems)
    screenshot("import-05-preview")

    # The dry run is queued; the page shows the progress bar until the worker has run.
    page.get_by_role("button", name="Run dry run").click()
    page.wait_for_selector("text=Dry run: checking every row")
    assert page.locator("progress").first.is_visible()
    assert page.get_by_role("button", name="Cancel").is_visible()
    _no_problems(page, browser_problems)
    screenshot("import-06-dry-run-running")
    run_worker()
    page.wait_for_selector("text=rows read", timeout=15_000)
    batch.refresh_from_db()
    assert (batch.accepted, batch.rejected, batch.duplicates) == (2, 1, 1)
    counts = page.get_by_label("Dry run counts").inner_text()
    assert "4\nrows read" in counts
    assert "2\naccepted" in counts
    assert "1\nrejected" in counts
    assert "1\nduplicates" in counts
    report = page.locator("#report-rows")
    rejected = report.locator("tr", has_text="Rejected")
    assert rejected.locator("td").first.inner_text() == "3"
    assert "e-mail" in rejected.inner_text().lower()
    duplicate = report.locator("tr", has_text="Duplicate")
    assert duplicate.get_by_role("link", name="Ada Lovelace").get_attribute("href") == (
        f"/contacts/{existing.pk}/"
    )
    assert not Contact.objects.exclude(pk=existing.pk).exists()
    _no_problems(page, browser_problems)
    screenshot("import-07-dry-run-report")
    page.get_by_text("Mapping and options").click()
    assert page.get_by_text("→ Last name").is_visible()  # the hand-made fix, on record
    screenshot("import-07-dry-run-settings")
    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.wait_for_timeout(400)  # the sidebar slides out of view
    screenshot("import-07-dry-run-report-phone")
    page.set_viewport_size({"width": 1440, "height": 900})

    # Only the rejected rows, without a page load.
    page.get_by_role("link", name="Rejected", exact=True).click()
    page.wait_for_url("**verdict=rejected")
    assert report.locator("tbody tr").count() == 1

    # Import: 2 rows (the duplicate is skipped).
    page.get_by_role("button", name="Import 2 rows").click()
    page.wait_for_selector("text=Importing the rows")
    run_worker()
    page.wait_for_selector("text=Undo this import", timeout=15_000)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.COMMITTED
    assert (batch.created, batch.skipped) == (2, 1)
    imported = Contact.objects.exclude(pk=existing.pk)
    assert sorted(imported.values_list("last_name", flat=True)) == ["Côté", "Müller"]
    _no_problems(page, browser_problems)
    screenshot("import-08-imported")

    page.get_by_role("link", name="Open contacts").click()
    page.wait_for_selector("text=Müller")
    assert page.get_by_role("link", name="François Côté").is_visible()
    screenshot("import-09-contacts")

    # Undo: the confirm page says what goes, then the worker undoes it.
    page.go_back()
    page.get_by_role("link", name="Undo this import").click()
    page.wait_for_selector("text=2 contacts created by this import will be removed")
    assert page.get_by_role("link", name="José Müller").is_visible()
    _no_problems(page, browser_problems)
    screenshot("import-10-undo-confirm")
    page.get_by_role("button", name="Undo this import").click()
    page.wait_for_selector("text=Undoing the import")
    run_worker()
    page.wait_for_selector("text=Undone on", timeout=15_000)
    assert list(Contact.objects.values_list("pk", flat=True)) == [existing.pk]
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.ROLLED_BACK
    _no_problems(page, browser_problems)
    screenshot("import-11-undone")

    page.goto(f"{live_server.url}/imports/")
    assert page.get_by_text("Rolled back").is_visible()
    screenshot("import-12-list")
