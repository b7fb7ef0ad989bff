"""Saved mappings: see them, rename them, delete them.

A saved mapping is visible to everyone who may import its record type (the upload page offers it
to them); only its owner and administrators may rename or delete it. Past imports keep their own
copy of the columns (`ImportBatch.mapping`), so deleting a mapping changes nothing about them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Count, Max, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render

from rapport.core import records
from rapport.imports import services
from rapport.imports.mapping import IMPORTABLE_TYPES, importable_fields
from rapport.imports.models import ImportMapping
from rapport.imports.web.views import _creatable_types, _type_label, _user


class MappingRenameForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="Unique among the saved mappings of this record type.",
    )


@dataclass(frozen=True)
class MappingColumn:
    header: str
    label: str  # the field's label; empty when the column is not imported


@dataclass(frozen=True)
class MappingRow:
    mapping: ImportMapping
    columns: list[MappingColumn]
    mapped: int
    uses: int
    last_used: datetime | None
    can_change: bool


def _mappings_for(user: Any) -> QuerySet[ImportMapping]:
    """Saved mappings of the record types this person may import, with their use counted."""
    types = [key for key, _label in _creatable_types(user)]
    return (
        ImportMapping.objects.filter(record_type__in=types)
        .select_related("owner")
        .annotate(uses=Count("batches"), last_used=Max("batches__created_at"))
        .order_by("record_type", "name", "pk")
    )


def _mapping_for(user: Any, pk: int) -> tuple[ImportMapping, bool]:
    """The mapping and whether this person may change it; Http404 when they may not see it."""
    saved = _mappings_for(user).filter(pk=pk).first()
    if saved is None:
        raise Http404("No such saved mapping.")
    return saved, _may_change(user, saved)


def _may_change(user: Any, saved: ImportMapping) -> bool:
    return bool(user.is_administrator or saved.owner_id == user.pk)


def _labels(record_type: str, user: Any) -> dict[str, str]:
    """Field name → label, as the mapping page shows them."""
    return {f.name: f.label for f in importable_fields(record_type, user)}


def _label(record_type: str, name: str, labels: dict[str, str]) -> str:
    """A field's label; one this person may not import (any more) by the model's name for it."""
    if name in labels:
        return labels[name]
    try:
        model_field = records.get(record_type).model._meta.get_field(name)
    except (KeyError, FieldDoesNotExist):
        return name
    text = str(getattr(model_field, "verbose_name", name))
    return text[:1].upper() + text[1:]


def _row(saved: Any, user: Any, labels: dict[str, str]) -> MappingRow:
    columns = [
        MappingColumn(header=header, label=_label(saved.record_type, name, labels) if name else "")
        for header, name in (saved.columns or {}).items()
    ]
    return MappingRow(
        mapping=saved,
        columns=columns,
        mapped=sum(1 for column in columns if column.label),
        uses=saved.uses,
        last_used=saved.last_used,
        can_change=_may_change(user, saved),
    )


@login_required
def mapping_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    saved_mappings = list(_mappings_for(user))
    labels = {
        record_type: _labels(record_type, user)
        for record_type in {saved.record_type for saved in saved_mappings}
    }
    groups = []
    for record_type in IMPORTABLE_TYPES:
        rows = [
            _row(saved, user, labels[record_type])
            for saved in saved_mappings
            if saved.record_type == record_type
        ]
        if rows:
            groups.append({"label": _type_label(record_type, plural=True), "rows": rows})
    context = {
        "groups": groups,
        "count": len(saved_mappings),
        "can_import": bool(_creatable_types(user)),
    }
    return render(request, "imports/mappings.html", context)


@login_required
def mapping_rename(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = _user(request)
    saved, can_change = _mapping_for(user, pk)
    if not can_change:
        raise PermissionDenied("Only its owner or an administrator may rename this mapping.")
    old_name = saved.name
    form = MappingRenameForm(request.POST or None, initial={"name": saved.name})
    if request.method == "POST" and form.is_valid():
        try:
            services.mapping_rename(acting_user=user, saved=saved, name=form.cleaned_data["name"])
        except ValidationError as error:
            for key, errors in error.message_dict.items():
                for message in errors:
                    form.add_error("name" if key == "name" else None, message)
        else:
            messages.success(request, f"“{old_name}” is now called “{saved.name}”.")
            return redirect("imports:mappings")
    context = {
        "saved": saved,
        "old_name": old_name,
        "form": form,
        "type_label": _type_label(saved.record_type),
    }
    return render(request, "imports/mapping_rename.html", context)


@login_required
def mapping_delete(request: HttpRequest, pk: int) -> HttpResponseBase:
    user = _user(request)
    saved, can_change = _mapping_for(user, pk)
    if not can_change:
        raise PermissionDenied("Only its owner or an administrator may delete this mapping.")
    if request.method == "POST":
        name = saved.name
        services.mapping_delete(acting_user=user, saved=saved)
        messages.success(request, f"The mapping “{name}” is deleted; past imports are unchanged.")
        return redirect("imports:mappings")
    context = {
        "saved": saved,
        "uses": getattr(saved, "uses", 0),
        "last_used": getattr(saved, "last_used", None),
        "type_label": _type_label(saved.record_type),
        "type_label_plural": _type_label(saved.record_type, plural=True),
    }
    return render(request, "imports/mapping_delete.html", context)
