"""Fixtures for the core tests: background work, and a record type that uses picklists."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator

import pytest
from django.core.management import call_command
from django.db import connection, models
from django.test.utils import isolate_apps

from rapport.core.models import PicklistValue
from rapport.core.picklists import PicklistField, register_usage, unregister_usage


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


@pytest.fixture
def deal_model(transactional_db: None) -> Iterator[type[models.Model]]:
    """A record type that uses two picklists, with its table, for the length of one test.

    No record type uses picklists yet, so the tests define one in an isolated app registry. Its
    table is created with the schema editor, which SQLite allows only outside a transaction:
    hence a transactional test. It joins the picklist registry by hand (PicklistField registers
    only the models of the global registry) and leaves it afterwards.
    """
    with isolate_apps("rapport.core"):

        class Deal(models.Model):
            name = models.CharField("name", max_length=100, help_text="The deal's name.")
            source = PicklistField(
                "lead_source",
                null=True,
                blank=True,
                verbose_name="lead source",
                help_text="Where the deal came from.",
            )
            loss_reason = PicklistField(
                "loss_reason",
                null=True,
                blank=True,
                verbose_name="loss reason",
                help_text="Why the deal was lost.",
            )

            class Meta:
                app_label = "core"

            def __str__(self) -> str:
                return self.name

    register_usage(Deal, "source", "lead_source")
    register_usage(Deal, "loss_reason", "loss_reason")
    with connection.schema_editor() as editor:
        editor.create_model(Deal)
    try:
        yield Deal
    finally:
        with connection.schema_editor() as editor:
            editor.delete_model(Deal)
        unregister_usage(Deal, "source")
        unregister_usage(Deal, "loss_reason")


@pytest.fixture
def value_of() -> Callable[[str, str], PicklistValue]:
    """A seeded picklist value by list key and value key, e.g. value_of("lead_source", "event")."""

    def get(picklist: str, key: str) -> PicklistValue:
        return PicklistValue.objects.get(picklist__key=picklist, key=key)

    return get
