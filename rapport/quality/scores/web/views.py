"""Pages of the scores app: the data-quality dashboard and the turnover wizard."""

from __future__ import annotations

import csv

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from rapport.access.models import User
from rapport.core import records
from rapport.quality.scores import scoring, selectors, turnover
from rapport.quality.scores.forms import LeaverForm, PlanForm

TREND_DAYS = (30, 90)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User), "login_required runs first"
    return user


def _admin(request: HttpRequest) -> User:
    user = _user(request)
    if not user.is_administrator:
        raise PermissionDenied("Only administrators can hand over someone's records.")
    return user


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    viewer = _user(request)
    days = int(request.GET["days"]) if request.GET.get("days") in ("30", "90") else 30
    record_type = request.GET.get("type", "")
    if record_type not in scoring.SCORED_TYPES:
        record_type = ""
    scores = selectors.scores_for(viewer)
    if record_type:
        scores = scores.filter(record_type=record_type)
    points = selectors.trend(viewer, days=days, record_type=record_type)
    worst = selectors.worst_records(scores)
    return render(
        request,
        "scores/dashboard.html",
        {
            "days": days,
            "trend_days": TREND_DAYS,
            "record_type": record_type,
            "record_types": [(key, records.get(key).label_plural) for key in scoring.SCORED_TYPES],
            "by_type": selectors.by_record_type(scores),
            "by_owner": selectors.by_owner(scores)[:15],
            "by_team": selectors.by_team(scores),
            "worst": [
                (score, selectors.visible_issues(viewer, score.record_type, score.issues))
                for score in worst
            ],
            "common": [
                issue
                for issue in selectors.common_issues(scores, limit=20)
                if selectors.visible_issues(viewer, issue.record_type, [{"field": issue.field}])
            ][:10],
            "chart": selectors.chart(points),
            "poor_below": 60,
        },
    )


@login_required
def turnover_wizard(request: HttpRequest) -> HttpResponse:
    admin = _admin(request)
    leaver_form = LeaverForm(request.GET or None)
    if not leaver_form.is_valid():
        return render(request, "scores/turnover.html", {"leaver_form": leaver_form})
    leaver: User = leaver_form.cleaned_data["user"]
    preview = turnover.turnover_preview(acting_user=admin, user=leaver)
    form = PlanForm(request.POST or None, leaver=leaver)
    if request.method == "POST" and form.is_valid():
        try:
            report = turnover.records_reassign(
                acting_user=admin, from_user=leaver, plan=form.plan()
            )
        except ValidationError as error:
            form.apply_error(error)
        else:
            return render(
                request,
                "scores/turnover_report.html",
                {"report": report, "leaver": leaver, "labels": turnover.TURNOVER_TYPES},
            )
    return render(
        request,
        "scores/turnover.html",
        {
            "leaver_form": leaver_form,
            "leaver": leaver,
            "preview": preview,
            "counts": [
                (label, preview.counts[key]) for key, label in turnover.TURNOVER_TYPES.items()
            ],
            "form": form,
        },
    )


@login_required
def turnover_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """Every owner change away from a person, from the audit trail, as CSV (the hand-over)."""
    admin = _admin(request)
    leaver = get_object_or_404(User, pk=pk)
    entries = turnover.handover_history(acting_user=admin, from_user=leaver).select_related("actor")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="handover-{leaver.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow(["at", "record type", "id", "record", "old owner", "new owner", "by"])
    for entry in entries.iterator(chunk_size=2000):
        owner = entry.changes.get("owner", {})
        writer.writerow(
            [
                entry.at.isoformat(),
                entry.record_type,
                entry.object_id,
                entry.object_repr,
                (owner.get("old") or {}).get("repr", ""),
                (owner.get("new") or {}).get("repr", ""),
                str(entry.actor) if entry.actor else "",
            ]
        )
    return response
