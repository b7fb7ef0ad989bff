"""Every record type that has a recycle bin: DELETE through the API moves the record there, the
bin lists it, and restore brings it back exactly. Types without one refuse DELETE and keep the
record. Driven by the permission matrix's specs, so a new type is covered by registering it."""

from __future__ import annotations

from typing import Any

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from rapport.access.tests.test_permission_matrix import SPECS
from rapport.core import records
from rapport.core.models import AuditEntry, SoftDeleteModel
from rapport.core.recycle import bin_types, record_restore, recycle_bin_entries

pytestmark = pytest.mark.django_db

ORGANISATION = {"user", "team", "office", "role"}  # covered by test_recycle_restore
BUSINESS = sorted(key for key in SPECS if key not in ORGANISATION)


def _state(model: Any, pk: int) -> dict[str, Any]:
    values = model_to_dict(model._base_manager.get(pk=pk))
    values.pop("updated_at", None)
    return values


@pytest.mark.parametrize("key", BUSINESS)
def test_delete_and_restore_bring_the_record_back_exactly(key, token_client, admin_user):
    record_type = records.get(key)
    target = SPECS[key].make(admin_user)
    before = _state(record_type.model, target.pk)
    response = token_client.delete(reverse(f"api:{key}-detail", args=[target.pk]))

    if record_type not in bin_types():
        assert response.status_code in {400, 405}, response.content
        assert _state(record_type.model, target.pk) == before
        return
    assert issubclass(record_type.model, SoftDeleteModel)
    assert response.status_code == 204, response.content
    assert not record_type.model._default_manager.filter(pk=target.pk).exists()
    assert (key, target.pk) in {(e.record_type.key, e.object_id) for e in recycle_bin_entries()}

    record_restore(record_type=key, object_id=target.pk, acting_user=admin_user)
    assert _state(record_type.model, target.pk) == before
    actions = [e.action for e in AuditEntry.objects.for_record(key, target.pk)]
    assert actions[:2] == ["restore", "delete"]


def test_every_business_type_is_covered():
    assert {t.key for t in records.all_types()} - ORGANISATION == set(BUSINESS)
