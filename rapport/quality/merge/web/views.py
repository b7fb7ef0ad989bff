"""The merge pages: the values side by side to merge; a merge and its undo; recent merges."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from rapport.access import permissions
from rapport.api.filters import MAX_ID
from rapport.core import records
from rapport.quality.merge import selectors, services
from rapport.quality.merge.models import Merge


@dataclass(frozen=True)
class Cell:
    record_id: int
    text: str
    chosen: bool


@dataclass(frozen=True)
class FieldRow:
    name: str
    label: str
    cells: list[Cell]
    locked: bool  # the person may not change it: the survivor keeps its value
    differs: bool


@dataclass(frozen=True)
class Column:
    record: models.Model
    url: str | None
    moves: list[tuple[str, int]]


EMPTY = "—"


def _ids(text: str) -> list[int]:
    try:
        ids = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise Http404("The ids must be numbers.") from None
    if any(not 1 <= pk <= MAX_ID for pk in ids):
        raise Http404("No such records.")
    return ids


def _text(obj: models.Model, name: str) -> str:
    field = obj._meta.get_field(name)
    value = getattr(obj, name)
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "yes" if value else "no"
    choices = getattr(field, "flatchoices", None)
    if choices:
        return str(dict(choices).get(value, value))
    return str(value)


def _url(record_type: str, obj: models.Model) -> str | None:
    url_name = records.get(record_type).url_name
    return reverse(url_name, args=[obj.pk]) if url_name else None


def _rows(
    user: Any, record_type: str, chosen: list[models.Model], choices: dict[str, int]
) -> list[FieldRow]:
    policy = permissions.policy_for(user, record_type)
    names = permissions.visible_fields(user, record_type, services.merge_fields(record_type))
    model = records.get(record_type).model
    rows = []
    for name in names:
        texts = [_text(obj, name) for obj in chosen]
        if set(texts) == {EMPTY}:
            continue  # empty everywhere: nothing to choose
        rows.append(
            FieldRow(
                name=name,
                label=str(getattr(model._meta.get_field(name), "verbose_name", name)).capitalize(),
                cells=[
                    Cell(obj.pk, text, choices.get(name) == obj.pk)
                    for obj, text in zip(chosen, texts, strict=True)
                ],
                locked=name in policy.protected_fields,
                differs=len(set(texts)) > 1,
            )
        )
    return rows


def _merge_context(
    request: HttpRequest, record_type: str, chosen: list[models.Model], survivor_id: int
) -> dict[str, Any]:
    ordered = sorted(chosen, key=lambda obj: obj.pk != survivor_id)
    choices = services.default_choices(ordered)
    if request.method == "POST":
        for name in choices:
            posted = request.POST.get(f"field_{name}", "")
            if posted.isdigit():
                choices[name] = int(posted)
    return {
        "record_type": records.get(record_type),
        "columns": [
            Column(
                obj,
                _url(record_type, obj),
                services.merge_preview(record_type=record_type, others=[obj]),
            )
            for obj in chosen
        ],
        "rows": _rows(request.user, record_type, chosen, choices),
        "survivor_id": survivor_id,
        "ids": ",".join(str(obj.pk) for obj in chosen),
    }


@login_required
def merge(request: HttpRequest) -> HttpResponseBase:
    """`?type=contact&ids=1,2[,3]`: the records side by side; POST merges them."""
    source = request.POST if request.method == "POST" else request.GET
    record_type = source.get("type", "")
    if record_type not in services.MERGEABLE_TYPES:
        raise Http404("Only contacts, accounts and leads can be merged.")
    wanted = _ids(source.get("ids", ""))
    chosen = services.records_for_merge(viewer=request.user, record_type=record_type, ids=wanted)
    if len(chosen) != len(wanted) or not 2 <= len(chosen) <= 3:
        raise Http404("Pick two or three records you may see.")
    if not services.may_merge(request.user, record_type):
        raise PermissionDenied(permissions.denial_message("merge", record_type))
    survivor_text = source.get("survivor", "")
    survivor_id = int(survivor_text) if survivor_text.isdigit() else chosen[0].pk
    if survivor_id not in {obj.pk for obj in chosen}:
        survivor_id = chosen[0].pk
    errors: list[str] = []
    if request.method == "POST":
        context = _merge_context(request, record_type, chosen, survivor_id)
        field_values = {
            row.name: next(cell.record_id for cell in row.cells if cell.chosen)
            for row in context["rows"]
            if not row.locked and any(cell.chosen for cell in row.cells)
        }
        try:
            done = services.records_merge(
                acting_user=request.user,
                record_type=record_type,
                survivor=survivor_id,
                others=[obj.pk for obj in chosen if obj.pk != survivor_id],
                field_values=field_values,
            )
        except ValidationError as error:
            errors = [f"{name}: {' '.join(texts)}" for name, texts in _messages(error)]
        else:
            messages.success(request, "Merged. You can undo it here.")
            return redirect("merge:merge-detail", pk=done.pk)
    context = _merge_context(request, record_type, chosen, survivor_id)
    context["errors"] = errors
    return render(request, "merge/merge.html", context, status=400 if errors else 200)


def _messages(error: ValidationError) -> list[tuple[str, list[str]]]:
    if hasattr(error, "error_dict"):
        return [(name, list(texts)) for name, texts in error.message_dict.items()]
    return [("merge", list(error.messages))]


def _visible_merge(request: HttpRequest, pk: int) -> Merge:
    return get_object_or_404(selectors.merges_visible(request.user), pk=pk)


@login_required
def merge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One merge: what was kept, what was merged into it, what moved; Undo."""
    done = _visible_merge(request, pk)
    rt = records.get(done.record_type)
    model: Any = rt.model
    everyone = {
        obj.pk: obj for obj in model.all_objects.filter(pk__in=[done.survivor_id, *done.other_ids])
    }
    moved = [
        (
            str(apps.get_model(row["model"])._meta.verbose_name_plural).capitalize(),
            row["field"].replace("_", " "),
            len(row["ids"]),
        )
        for row in done.repointed
    ]
    return render(
        request,
        "merge/merge_detail.html",
        {
            "merge": done,
            "record_type": rt,
            "survivor": everyone.get(done.survivor_id),
            "survivor_url": _url(done.record_type, everyone[done.survivor_id])
            if done.survivor_id in everyone
            else None,
            "others": [everyone[pk] for pk in done.other_ids if pk in everyone],
            "moved": moved,
        },
    )


@login_required
@require_POST
def merge_undo(request: HttpRequest, pk: int) -> HttpResponseBase:
    done = _visible_merge(request, pk)
    try:
        services.merge_undo(acting_user=request.user, merge=done)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The merge is undone: every record is back as it was.")
    return redirect("merge:merge-detail", pk=done.pk)


@login_required
def merge_list(request: HttpRequest) -> HttpResponse:
    """Recent merges the person may see, newest first, each with its undo."""
    merges = list(selectors.merges_visible(request.user).order_by("-merged_at", "-id")[:100])
    labels = {key: records.get(key).label for key in services.MERGEABLE_TYPES}
    rows = [(labels.get(done.record_type, done.record_type), done) for done in merges]
    return render(request, "merge/merge_list.html", {"rows": rows})
