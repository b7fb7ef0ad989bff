"""The cleaning pages: corrections inbox and reports, the glossary, stale-data queues."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from rapport.access import permissions
from rapport.access.roles import is_data_steward
from rapport.core import records

from .. import services
from ..api.views import QUEUES, stale_act, stale_queryset
from ..models import CorrectionRequest, FieldDefinition

PAGE_SIZE = 25


def _message(error: ValidationError) -> str:
    return " ".join(error.messages)


def _record_url(record_type: str, object_id: int) -> str:
    try:
        url_name = records.get(record_type).url_name
    except KeyError:
        return ""
    if not url_name:
        return ""
    try:
        return reverse(url_name, args=[object_id])
    except NoReverseMatch:
        return ""


# --- corrections -------------------------------------------------------------------------------


class ReportForm(forms.Form):
    field_name = forms.ChoiceField(label="Field", help_text="The field whose value is wrong.")
    suggested_value = forms.CharField(
        label="Suggested value",
        required=False,
        max_length=2000,
        help_text="What it should be (leave empty if you do not know).",
    )
    comment = forms.CharField(
        label="Comment",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why the value is wrong, and where the right one comes from.",
    )

    def __init__(self, *args: Any, fields: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field_name"].choices = fields  # type: ignore[attr-defined]


@login_required
def report(request: HttpRequest, record_type: str, pk: int) -> HttpResponse:
    """Report wrong data on one record: pick the field, suggest the value, say why."""
    user: Any = request.user
    if record_type not in services.GLOSSARY_TYPES:
        raise Http404("No such record type.")
    model: Any = records.get(record_type).model
    obj = model._default_manager.filter(pk=pk).first()
    if obj is None or not permissions.in_scope(user, record_type, obj):
        raise Http404("No such record.")
    fields = services.flaggable_fields(user, record_type)
    form = ReportForm(request.POST or None, fields=fields, initial=request.GET)
    if request.method == "POST" and form.is_valid():
        try:
            services.correction_create(
                record_type=record_type, object_id=pk, acting_user=user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, _message(error))
        else:
            messages.success(request, "Thank you: the record's owner will review your report.")
            return redirect(_record_url(record_type, pk) or reverse("cleaning:corrections"))
    context = {
        "form": form,
        "object": obj,
        "record_type": records.get(record_type),
        "record_url": _record_url(record_type, pk),
        "current_values": {name: services.display_value(obj, name) for name, _label in fields},
    }
    return render(request, "cleaning/report.html", context, status=400 if form.errors else 200)


@login_required
def corrections(request: HttpRequest) -> HttpResponse:
    """The inbox of corrections you decide, and the status of the ones you reported."""
    user: Any = request.user
    box = "mine" if request.GET.get("box") == "mine" else "assigned"
    wanted = request.GET.get("status", "open")
    queryset = (
        services.corrections_reported_by(user)
        if box == "mine"
        else services.corrections_assigned_to(user)
    )
    if wanted in CorrectionRequest.Status.values:
        queryset = queryset.filter(status=wanted)
    page = Paginator(queryset.select_related("reporter", "decided_by"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = list(page.object_list)
    hidden = services.hidden_for(user, rows)
    context = {
        "box": box,
        "status": wanted,
        "statuses": CorrectionRequest.Status.choices,
        "page": page,
        "rows": [
            {
                "correction": c,
                "hidden": c.pk in hidden,
                "url": _record_url(c.record_type, c.object_id),
            }
            for c in rows
        ],
        "counts": services.correction_counts(user),
        "steward": is_data_steward(user),
    }
    return render(request, "cleaning/corrections.html", context)


def _assigned(request: HttpRequest, pk: int) -> CorrectionRequest:
    return get_object_or_404(services.corrections_assigned_to(request.user), pk=pk)


@login_required
@require_POST
def correction_accept(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.correction_accept(correction=_assigned(request, pk), acting_user=request.user)
    except ValidationError as error:
        messages.error(request, f"Not applied: {_message(error)}")
    except PermissionDenied as error:
        messages.error(request, f"Not applied: {error}")
    else:
        messages.success(request, "Correction applied.")
    return redirect(reverse("cleaning:corrections"))


@login_required
@require_POST
def correction_reject(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.correction_reject(
            correction=_assigned(request, pk),
            reason=request.POST.get("reason", ""),
            acting_user=request.user,
        )
    except ValidationError as error:
        messages.error(request, _message(error))
    else:
        messages.success(request, "Correction rejected; the reporter sees your reason.")
    return redirect(reverse("cleaning:corrections"))


# --- glossary ----------------------------------------------------------------------------------


class DefinitionForm(forms.ModelForm[FieldDefinition]):
    class Meta:
        model = FieldDefinition
        fields = ("definition", "allowed_values", "owner")
        widgets = {
            "definition": forms.Textarea(attrs={"rows": 4}),
            "allowed_values": forms.Textarea(attrs={"rows": 2}),
        }


@login_required
def glossary(request: HttpRequest) -> HttpResponse:
    """What each field means, who owns it, what it may hold and how often it is filled."""
    user: Any = request.user
    search = request.GET.get("q", "")
    grouped = services.glossary(user, search=search)
    context = {
        "search": search,
        "groups": [(records.get(key), entries) for key, entries in grouped.items()],
        "steward": is_data_steward(user),
    }
    return render(request, "cleaning/glossary.html", context)


@login_required
def glossary_edit(request: HttpRequest, record_type: str, field_name: str) -> HttpResponse:
    """A data steward writes a field's definition."""
    user: Any = request.user
    if not is_data_steward(user):
        raise PermissionDenied("Only data stewards edit the glossary.")
    if record_type not in services.GLOSSARY_TYPES:
        raise Http404("No such record type.")
    entry = FieldDefinition.objects.filter(record_type=record_type, field_name=field_name).first()
    form = DefinitionForm(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        try:
            services.field_definition_set(
                record_type=record_type,
                field_name=field_name,
                acting_user=user,
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_error(None, _message(error))
        else:
            messages.success(request, "Definition saved.")
            return redirect(f"{reverse('cleaning:glossary')}#{record_type}-{field_name}")
    context = {"form": form, "record_type": records.get(record_type), "field_name": field_name}
    return render(
        request, "cleaning/glossary_edit.html", context, status=400 if form.errors else 200
    )


# --- stale data --------------------------------------------------------------------------------

QUEUE_LABELS = {
    "untouched": "Untouched",
    "bounced": "Bounced e-mails",
    "left_company": "Left the company",
    "deceased": "Deceased",
}


@login_required
def stale(request: HttpRequest) -> HttpResponse:
    """Review queues of stale data, one tab each."""
    user: Any = request.user
    queue = request.GET.get("queue", "untouched")
    if queue not in QUEUES:
        queue = "untouched"
    record_type = request.GET.get("type", "contact")
    allowed = {"untouched": services.STALE_TYPES, "bounced": ("contact", "lead")}
    if record_type not in allowed.get(queue, ("contact",)):
        record_type = "contact"
    raw_months = request.GET.get("months", "12")
    months = int(raw_months) if raw_months.isdigit() and 1 <= int(raw_months) <= 240 else 12
    queryset = stale_queryset(user, queue, record_type, months)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    hidden = permissions.hidden_fields_of(user, record_type)
    policy = permissions.policy_for(user, record_type)
    context = {
        "queue": queue,
        "queues": QUEUE_LABELS.items(),
        "record_type": records.get(record_type),
        "types": [records.get(key) for key in services.STALE_TYPES],
        "months": months,
        "page": page,
        "rows": [{"object": obj, "url": _record_url(record_type, obj.pk)} for obj in page],
        "show_email": "email" not in hidden,
        "can_edit": policy.can("edit"),
    }
    return render(request, "cleaning/stale.html", context)


@login_required
@require_POST
def stale_action(request: HttpRequest) -> HttpResponse:
    object_id = request.POST.get("object_id", "")
    try:
        stale_act(
            request.user,
            action=request.POST.get("action", ""),
            record_type=request.POST.get("record_type", ""),
            object_id=int(object_id) if object_id.isdigit() else 0,
        )
    except ValidationError as error:
        messages.error(request, _message(error))
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Done.")
    back = request.POST.get("next", "")
    return redirect(
        back if back.startswith("/") and not back.startswith("//") else reverse("cleaning:stale")
    )
