"""The index follows every write to the record tables: creates, updates (also set-based ones),
deletes; and a migration that drops its triggers or index gets them back on the next migrate."""

from __future__ import annotations

import pytest
from django.db import connection

from rapport.access.models import User
from rapport.customers.models import Account, Contact
from rapport.fulltext import registry, schema, search_queryset
from rapport.fulltext.tests import records


def found(query: str) -> list[str]:
    return sorted(c.last_name for c in search_queryset(Contact.objects.all(), query))


def assert_index_is_consistent() -> None:
    """SQLite checks its FTS5 index against the content table (PostgreSQL's index is its own)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for indexed in registry.all_indexed():
            table = schema.fts_table(indexed.record_type_key)
            cursor.execute(f"INSERT INTO {table}({table}, rank) VALUES ('integrity-check', 1)")  # noqa: S608


def test_an_updated_record_is_found_by_its_new_words_only(rep: User) -> None:
    anna = records.contact(rep, "Anna", "Schmidt")
    anna.last_name = "Meyer"
    anna.save()

    assert found("schmidt") == []
    assert found("meyer") == ["Meyer"]
    assert_index_is_consistent()


def test_a_set_based_update_is_indexed(rep: User) -> None:
    records.contact(rep, "Anna", "Schmidt")
    records.contact(rep, "Bert", "Schmidt")
    Contact.objects.filter(last_name="Schmidt").update(job_title="Procurement lead")

    assert found("procurement") == ["Schmidt", "Schmidt"]
    assert_index_is_consistent()


def test_an_update_of_unsearched_fields_leaves_the_index_alone(rep: User) -> None:
    records.contact(rep, "Anna", "Schmidt")
    Contact.objects.update(do_not_contact=True, description="schmidt-free notes")

    assert found("schmidt") == ["Schmidt"]
    assert found("notes") == []
    assert_index_is_consistent()


def test_a_deleted_record_leaves_the_index(rep: User) -> None:
    records.contact(rep, "Anna", "Schmidt")
    bert = records.contact(rep, "Bert", "Schmidt")
    bert.delete()
    Contact.objects.bulk_create([Contact(owner=rep, first_name="Carl", last_name="Schmidtke")])

    assert found("schmidt") == ["Schmidt", "Schmidtke"]
    Contact.objects.all().delete()
    assert found("schmidt") == []
    assert_index_is_consistent()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_repair_puts_back_dropped_index_objects_and_indexes_existing_rows(
    make_user: object,
) -> None:
    owner = make_user()  # type: ignore[operator]
    with connection.cursor() as cursor:
        for statement in schema.drop_sql(connection.vendor, "account"):
            cursor.execute(statement)
    records.account(owner, "Initech")  # written while the triggers were gone

    specs = [(i.record_type_key, i.table, i.fields) for i in registry.all_indexed()]
    assert schema.repair(connection, specs) == ["account"]
    assert schema.repair(connection, specs) == []  # nothing missing any more

    assert [a.name for a in search_queryset(Account.objects.all(), "initech")] == ["Initech"]
    records.account(owner, "Initrode")
    assert search_queryset(Account.objects.all(), "init").count() == 2
    assert_index_is_consistent()
