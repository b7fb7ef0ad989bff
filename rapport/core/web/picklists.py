"""Administration → Picklists: the lists, and per list its values to add, edit, reorder, retire."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from rapport.core.models import Picklist, PicklistValue
from rapport.core.picklists import (
    PicklistRemapError,
    picklist_usage_counts,
    picklist_value_create,
    picklist_value_reactivate,
    picklist_value_reorder,
    picklist_value_retire,
    picklist_value_update,
    picklist_value_usage_count,
    picklists_with_values,
)


def _require_admin(request: HttpRequest) -> Any:
    # Core sits below access: it asks the user object, which access defines.
    user = request.user
    role = getattr(user, "role", None)
    if not getattr(user, "is_administrator", False) or (role is not None and role.is_read_only):
        raise PermissionDenied("Only administrators can change picklists.")
    return user


class PicklistValueForm(forms.ModelForm[PicklistValue]):
    class Meta:
        model = PicklistValue
        fields = ("label", "key", "definition", "color")
        widgets = {"definition": forms.Textarea(attrs={"rows": 3})}


class RetireForm(forms.Form):
    remap_to = forms.ModelChoiceField(
        queryset=PicklistValue.objects.none(),
        required=False,
        label="Move the records that use it to",
        empty_label="Keep it on those records",
        help_text="Records that keep a retired value still show its label.",
    )

    def __init__(self, *args: Any, value: PicklistValue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["remap_to"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = PicklistValue.objects.filter(
            picklist_id=value.picklist_id, is_active=True
        ).exclude(pk=value.pk)


def _rows(picklist: Picklist) -> list[dict[str, Any]]:
    counts = picklist_usage_counts(picklist)
    values = list(picklist.values.all())
    return [
        {
            "value": value,
            "uses": counts.get(value.pk, 0),
            "first": i == 0,
            "last": i == len(values) - 1,
        }
        for i, value in enumerate(values)
    ]


def _picklist(key: str) -> Picklist:
    return get_object_or_404(picklists_with_values(), key=key)


@login_required
def picklists(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    rows = []
    for current in picklists_with_values():
        active = sum(1 for value in current.values.all() if value.is_active)
        rows.append((current, active, len(current.values.all()) - active))
    return render(request, "core/picklists.html", {"picklists": rows})


@login_required
def picklist(request: HttpRequest, key: str) -> HttpResponseBase:
    admin = _require_admin(request)
    current = _picklist(key)
    form = PicklistValueForm()
    if request.method == "POST":
        form = PicklistValueForm(request.POST)
        if form.is_valid():
            try:
                value = picklist_value_create(
                    picklist=current, acting_user=admin, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"“{value.label}” is added to {current.name}.")
                return redirect("core:picklist", key=current.key)
    return render(
        request, "core/picklist.html", {"picklist": current, "rows": _rows(current), "form": form}
    )


@login_required
@require_POST
def picklist_value_move(request: HttpRequest, key: str, pk: int) -> HttpResponseBase:
    admin = _require_admin(request)
    value = get_object_or_404(PicklistValue, picklist__key=key, pk=pk)
    offset = -1 if request.POST.get("direction") == "up" else 1
    picklist_value_reorder(value=value, offset=offset, acting_user=admin)
    if request.htmx:  # type: ignore[attr-defined]
        current = _picklist(key)
        return render(
            request,
            "core/picklist.html#values-table",
            {"picklist": current, "rows": _rows(current)},
        )
    return redirect("core:picklist", key=key)


@login_required
def picklist_value_edit(request: HttpRequest, key: str, pk: int) -> HttpResponseBase:
    admin = _require_admin(request)
    value = get_object_or_404(
        PicklistValue.objects.select_related("picklist"), picklist__key=key, pk=pk
    )
    form = PicklistValueForm(instance=value)
    if request.method == "POST":
        form = PicklistValueForm(request.POST, instance=PicklistValue.objects.get(pk=value.pk))
        if form.is_valid():
            try:
                picklist_value_update(
                    value=PicklistValue.objects.get(pk=value.pk),
                    acting_user=admin,
                    **form.cleaned_data,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"“{form.cleaned_data['label']}” is saved.")
                return redirect("core:picklist", key=key)
    return render(
        request,
        "core/picklist_value_form.html",
        {
            "value": value,
            "form": form,
            "retire_form": RetireForm(value=value),
            "uses": picklist_value_usage_count(value),
        },
    )


@login_required
@require_POST
def picklist_value_retire_view(request: HttpRequest, key: str, pk: int) -> HttpResponseBase:
    admin = _require_admin(request)
    value = get_object_or_404(
        PicklistValue.objects.select_related("picklist"), picklist__key=key, pk=pk
    )
    form = RetireForm(request.POST, value=value)
    if form.is_valid():
        try:
            result = picklist_value_retire(
                value=value, acting_user=admin, remap_to=form.cleaned_data["remap_to"]
            )
        except PicklistRemapError as error:
            form.add_error("remap_to", str(error))
        else:
            target = form.cleaned_data["remap_to"]
            moved = f" {result.moved} records moved to “{target.label}”." if target else ""
            messages.success(request, f"“{value.label}” is retired.{moved}")
            return redirect("core:picklist", key=key)
    return render(
        request,
        "core/picklist_value_form.html",
        {
            "value": value,
            "form": PicklistValueForm(instance=value),
            "retire_form": form,
            "uses": picklist_value_usage_count(value),
        },
        status=400,
    )


@login_required
@require_POST
def picklist_value_reactivate_view(request: HttpRequest, key: str, pk: int) -> HttpResponseBase:
    admin = _require_admin(request)
    value = get_object_or_404(PicklistValue, picklist__key=key, pk=pk)
    picklist_value_reactivate(value=value, acting_user=admin)
    messages.success(request, f"“{value.label}” can be chosen again.")
    return redirect("core:picklist", key=key)
