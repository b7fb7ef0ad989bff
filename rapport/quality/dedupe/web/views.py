"""The duplicate review queue page (likely duplicates side by side, best first) and the
matching rules page where administrators tune how duplicates are found."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from rapport.access.roles import is_data_steward
from rapport.core.progress import progress_for, task_enqueue
from rapport.quality.dedupe import queue
from rapport.quality.dedupe.models import DuplicatePair
from rapport.quality.dedupe.rules import (
    RULE_TYPES,
    RuleSettings,
    Signal,
    match_rule_preview,
    match_rule_set,
    match_rule_settings,
    match_rules_settings,
    may_change_rules,
)
from rapport.quality.dedupe.scan import SCANS, duplicate_pair_decide

PAGE_SIZE = 25
TYPE_LABELS = {"contact": "Contacts", "account": "Accounts", "lead": "Leads against contacts"}


def _side(record_type: str, obj: Any) -> dict[str, Any]:
    company = ""
    if record_type == "contact":
        company = str(obj.account) if obj.account_id else ""
    elif record_type == "lead":
        company = obj.company
    return {
        "type": record_type,
        "object": obj,
        "url": queue.record_url(record_type, obj.pk),
        "email": getattr(obj, "email", "") if record_type != "account" else obj.website,
        "phone": getattr(obj, "phone", ""),
        "company": company,
        "place": " ".join(p for p in (obj.postal_code, obj.city) if p),
    }


@login_required
def queue_page(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    record_type = request.GET.get("type", "")
    if record_type not in SCANS:
        record_type = ""
    raw_score = request.GET.get("min_score", "")
    try:
        min_score = float(raw_score) / 100 if raw_score else None
    except ValueError:
        min_score = None
    pairs = queue.pairs_for(user, record_type=record_type, min_score=min_score)
    page = Paginator(pairs, PAGE_SIZE).get_page(request.GET.get("page"))
    views = queue.pair_views(user, list(page))
    task_id = request.GET.get("task", "")
    state = None
    if task_id:
        try:
            state = progress_for(task_id=task_id, user=user)
        except Http404:
            state = None
    rows = [
        {
            "pair": v.pair,
            "percent": round(v.pair.score * 100),
            "reasons": v.reasons,
            "sides": (_side(v.pair.record_type, v.record), _side(v.pair.other_type, v.other)),
            "merge_url": queue.merge_url(v.pair),
        }
        for v in views
    ]
    context = {
        "rows": rows,
        "page": page,
        "types": TYPE_LABELS.items(),
        "record_type": record_type,
        "min_score": raw_score,
        "can_scan": is_data_steward(user),
        "can_tune": may_change_rules(user),
        "state": state,
    }
    return render(request, "dedupe/queue.html", context)


@login_required
@require_POST
def not_duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    pair = queue.pairs_for(request.user, status="").filter(pk=pk).first()
    if pair is None:
        raise Http404
    duplicate_pair_decide(
        pair=pair, status=DuplicatePair.Status.NOT_DUPLICATE, acting_user=request.user
    )
    messages.success(request, "Marked as not a duplicate; it will not be proposed again.")
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/") and not back.startswith("//") else "dedupe:queue")


@login_required
@require_POST
def scan_now(request: HttpRequest) -> HttpResponse:
    from rapport.quality.dedupe.tasks import scan_duplicates

    user: Any = request.user
    if not is_data_steward(user):
        raise PermissionDenied("Only administrators and data stewards start a duplicate scan.")
    result = task_enqueue(
        task=scan_duplicates, acting_user=user, args=[sorted(SCANS)], message="Duplicate scan"
    )
    return redirect(f"{reverse('dedupe:queue')}?task={result.id}")


# --- Matching rules ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SignalRow:
    """One signal's line in a rule's form: what it is, its default, what the form holds."""

    signal: Signal
    input_name: str
    value: str
    errors: list[str]

    @property
    def default(self) -> str:
        return _number_text(self.signal.default)


@dataclass(frozen=True)
class RuleSection:
    """One rule's form on the page, with the values typed and the errors next to them."""

    settings: RuleSettings
    active: bool
    threshold: str
    default_threshold: str
    rows: list[SignalRow]
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def record_type(self) -> str:
        return self.settings.record_type

    @property
    def general_errors(self) -> list[str]:
        """Errors not shown beside one field (e.g. an unknown signal), above the form."""
        return [
            message
            for key, found in self.errors.items()
            if key != "threshold" and not key.startswith("weights.")
            for message in found
        ]


def _rules_admin(request: HttpRequest) -> Any:
    if not may_change_rules(request.user):
        raise PermissionDenied("Only administrators change the duplicate matching rules.")
    return request.user


def _number_text(value: float) -> str:
    return f"{round(value, 4):g}"


def _section(
    settings: RuleSettings,
    posted: Mapping[str, str] | None = None,
    errors: Mapping[str, list[str]] | None = None,
) -> RuleSection:
    errors = dict(errors or {})
    rows = [
        SignalRow(
            signal=signal,
            input_name=f"w_{signal.name}",
            value=posted.get(f"w_{signal.name}", "")
            if posted is not None
            else _number_text(settings.weights[signal.name]),
            errors=errors.get(f"weights.{signal.name}", []),
        )
        for signal in settings.signals
    ]
    return RuleSection(
        settings=settings,
        active=bool(posted.get("active")) if posted is not None else settings.active,
        threshold=posted.get("threshold", "")
        if posted is not None
        else _number_text(settings.threshold * 100),
        default_threshold=_number_text(settings.default_threshold * 100),
        rows=rows,
        errors=errors,
    )


def _proposed(
    settings: RuleSettings, data: Mapping[str, str]
) -> tuple[Any, dict[str, Any], dict[str, list[str]]]:
    """(threshold as a fraction, weights, errors) read from a rule's form: numbers the form
    cannot read are refused here, ranges by the service (so page and API say the same)."""
    errors: dict[str, list[str]] = {}
    rule = f"the {settings.label.lower()} rule"
    threshold: Any = None
    try:
        threshold = float(data.get("threshold", "").strip().rstrip("%")) / 100
    except ValueError:
        errors["threshold"] = [f"Give the threshold of {rule} as a percentage, e.g. 70."]
    weights: dict[str, Any] = {}
    for signal in settings.signals:
        text = data.get(f"w_{signal.name}", "").strip()
        if not text:
            continue  # left empty: the default
        try:
            weights[signal.name] = float(text)
        except ValueError:
            errors[f"weights.{signal.name}"] = [
                f"Give the weight of “{signal.label}” in {rule} as a number, e.g. 1.5."
            ]
    return threshold, weights, errors


def _rules_page(
    request: HttpRequest, replaced: RuleSection | None = None, status: int = 200
) -> HttpResponse:
    sections = [
        replaced if replaced is not None and replaced.record_type == s.record_type else _section(s)
        for s in match_rules_settings()
    ]
    return render(request, "dedupe/rules.html", {"sections": sections}, status=status)


def _settings_or_404(record_type: str) -> RuleSettings:
    if record_type not in RULE_TYPES:
        raise Http404
    return match_rule_settings(record_type)


@login_required
def rules_page(request: HttpRequest) -> HttpResponse:
    _rules_admin(request)
    return _rules_page(request)


@login_required
@require_POST
def rules_save(request: HttpRequest, record_type: str) -> HttpResponse:
    admin = _rules_admin(request)
    settings = _settings_or_404(record_type)
    threshold, weights, errors = _proposed(settings, request.POST)
    if not errors:
        try:
            match_rule_set(
                record_type=record_type,
                threshold=threshold,
                weights=weights,
                active=bool(request.POST.get("active")),
                acting_user=admin,
            )
        except ValidationError as error:
            errors = {key: list(messages_) for key, messages_ in error.message_dict.items()}
    if errors:
        section = _section(settings, request.POST, errors)
        return _rules_page(request, section, status=400)
    messages.success(request, f"The matching rule for {settings.label.lower()} is saved.")
    return redirect("dedupe:rules")


@login_required
@require_POST
def rules_reset(request: HttpRequest, record_type: str) -> HttpResponse:
    admin = _rules_admin(request)
    settings = _settings_or_404(record_type)
    match_rule_set(
        record_type=record_type,
        threshold=settings.default_threshold,
        weights={},
        active=True,
        acting_user=admin,
    )
    messages.success(
        request, f"The matching rule for {settings.label.lower()} is back to its defaults."
    )
    if request.htmx:  # type: ignore[attr-defined]
        return HttpResponseClientRedirect(reverse("dedupe:rules"))
    return redirect("dedupe:rules")


@login_required
@require_POST
def rules_preview(request: HttpRequest, record_type: str) -> HttpResponse:
    """What the settings in the form would do to the review queue (an HTMX partial)."""
    _rules_admin(request)
    settings = _settings_or_404(record_type)
    threshold, weights, errors = _proposed(settings, request.POST)
    preview = None
    if not errors:
        try:
            preview = match_rule_preview(
                record_type=record_type, threshold=threshold, weights=weights
            )
        except ValidationError as error:
            errors = {key: list(messages_) for key, messages_ in error.message_dict.items()}
    context = {
        "preview": preview,
        "preview_errors": [m for found in errors.values() for m in found],
        "percent": _number_text((preview.threshold if preview else 0) * 100),
    }
    return render(request, "dedupe/rules.html#preview", context)
