"""Administration → Validation rules: the list, a rule's page (its conditions in the text form,
checked as they are typed, and the records that break it now), create, edit, enable/disable."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from rapport.access.permissions import scope_queryset
from rapport.api.permissions import can_administer
from rapport.core import records
from rapport.core.conditions import ConditionError, filter_queryset, parse
from rapport.quality.rules.models import ValidationRule
from rapport.quality.rules.services import (
    rule_create,
    rule_text,
    rule_update,
    rule_violations,
)

SHOWN_VIOLATIONS = 50


def _admin(request: HttpRequest) -> Any:
    if not can_administer(request.user):
        raise PermissionDenied("Only administrators can change validation rules.")
    return request.user


def _type_choices() -> list[tuple[str, str]]:
    return [(rt.key, rt.label) for rt in records.all_types()]


class RuleForm(forms.Form):
    record_type = forms.ChoiceField(label="Record type", help_text="The kind of record checked.")
    name = forms.CharField(max_length=150, help_text="Short, shown with the message.")
    kind = forms.ChoiceField(choices=ValidationRule.Kind.choices)
    field_names = forms.CharField(
        label="Fields",
        required=False,
        help_text="The fields the message is shown on, separated by commas.",
    )
    applies_when = forms.CharField(
        label="When",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text='The rule applies when this holds (empty: always), e.g. stage >= "proposal".',
    )
    condition = forms.CharField(
        label="Require",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What such a record must meet, e.g. amount is not empty.",
    )
    message = forms.CharField(max_length=255, help_text="What to tell the person who breaks it.")
    sort_order = forms.IntegerField(min_value=0, initial=0, label="Order")
    is_active = forms.BooleanField(required=False, initial=True, label="Active")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["record_type"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = _type_choices()
        for name in ("applies_when", "condition"):
            self.fields[name].widget.attrs.update({"class": "mono", "spellcheck": "false"})

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["field_names"] = [n.strip() for n in data["field_names"].split(",") if n.strip()]
        return data


def _initial(rule: ValidationRule) -> dict[str, Any]:
    return {
        "record_type": rule.record_type,
        "name": rule.name,
        "kind": rule.kind,
        "field_names": ", ".join(rule.field_names or []),
        "applies_when": rule_text(rule.applies_when),
        "condition": rule_text(rule.condition),
        "message": rule.message,
        "sort_order": rule.sort_order,
        "is_active": rule.is_active,
    }


def _save(request: HttpRequest, form: RuleForm, rule: ValidationRule | None) -> Any:
    admin = _admin(request)
    try:
        if rule is None:
            return rule_create(values=form.values(), acting_user=admin)
        return rule_update(rule=rule, values=form.values(), acting_user=admin)
    except ValidationError as error:
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
        return None


@login_required
def rule_list(request: HttpRequest) -> HttpResponse:
    _admin(request)
    labels = dict(_type_choices())
    rules = [(rule, labels.get(rule.record_type, rule.record_type))
             for rule in ValidationRule.objects.all()]  # fmt: skip
    return render(request, "rules/rule_list.html", {"rules": rules})


@login_required
def rule_create_view(request: HttpRequest) -> HttpResponseBase:
    _admin(request)
    form = RuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        rule = _save(request, form, None)
        if rule is not None:
            messages.success(request, f"Rule “{rule.name}” is saved.")
            return redirect("rules:rule-edit", pk=rule.pk)
    return render(request, "rules/rule_form.html", {"form": form, "rule": None})


def _violations(request: HttpRequest, rule: ValidationRule) -> dict[str, Any]:
    try:
        found = rule_violations(rule=rule, acting_user=request.user)
        rows = list(found[:SHOWN_VIOLATIONS])
        count = found.count()
    except (ConditionError, KeyError):
        rows, count = [], 0
    url_name = records.get(rule.record_type).url_name if rule.record_type else None
    return {"violations": rows, "violation_count": count, "record_url_name": url_name}


@login_required
def rule_edit(request: HttpRequest, pk: int) -> HttpResponseBase:
    _admin(request)
    rule = get_object_or_404(ValidationRule, pk=pk)
    form = RuleForm(request.POST or None, initial=_initial(rule))
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, ValidationRule.objects.get(pk=pk))
        if saved is not None:
            messages.success(request, f"Rule “{saved.name}” is saved.")
            return redirect("rules:rule-edit", pk=pk)
    context = {"form": form, "rule": rule, **_violations(request, rule)}
    return render(request, "rules/rule_form.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def rule_toggle(request: HttpRequest, pk: int) -> HttpResponseBase:
    admin = _admin(request)
    rule = get_object_or_404(ValidationRule, pk=pk)
    rule_update(rule=rule, values={"is_active": not rule.is_active}, acting_user=admin)
    state = "enabled" if rule.is_active else "disabled"
    messages.success(request, f"Rule “{rule.name}” is {state}.")
    return redirect("rules:rule-edit", pk=pk)


@login_required
@require_POST
def rule_check(request: HttpRequest) -> HttpResponse:
    """The live check of a condition as it is typed (an HTMX partial): the problem and where it
    is, or how many records match."""
    _admin(request)
    record_type = request.POST.get("record_type", "")
    target = request.POST.get("target", "condition")
    text = request.POST.get(target, "")
    context: dict[str, Any] = {"target": target, "text": text}
    if text.strip():
        try:
            condition = parse(text, record_type)
        except ConditionError as error:
            context["error"] = error
        else:
            model = records.get(record_type).model
            visible = scope_queryset(request.user, record_type, model._default_manager.all())
            context["matching"] = filter_queryset(visible, condition).count()
    return render(request, "rules/rule_form.html#check", context)
