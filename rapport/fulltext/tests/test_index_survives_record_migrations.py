"""A later migration of customers, leads or pipeline may rebuild their tables (SQLite alters a
table by copying it, and the triggers go with the old one); the next migrate repairs the index."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection, models

from rapport.access.models import User
from rapport.customers.models import Contact
from rapport.fulltext import search_queryset
from rapport.fulltext.apps import _repair_indexes
from rapport.fulltext.tests import records


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_index_follows_writes_again_after_a_table_rebuild(make_user: object) -> None:
    owner: User = make_user()  # type: ignore[operator]
    records.contact(owner, "Anna", "Before")
    old = Contact._meta.get_field("job_title")
    wider = models.CharField(max_length=200, blank=True)
    wider.set_attributes_from_name("job_title")
    wider.model = Contact
    with connection.schema_editor() as editor:
        editor.alter_field(Contact, old, wider)  # SQLite: copy, drop, rename
    try:
        _repair_indexes(sender=apps.get_app_config("fulltext"), using="default")
        records.contact(owner, "Bert", "After")

        assert [c.last_name for c in search_queryset(Contact.objects.all(), "before")] == ["Before"]
        assert [c.last_name for c in search_queryset(Contact.objects.all(), "after")] == ["After"]
    finally:
        with connection.schema_editor() as editor:
            editor.alter_field(Contact, wider, old)
        _repair_indexes(sender=apps.get_app_config("fulltext"), using="default")
