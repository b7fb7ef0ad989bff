"""The duplicate review queue page: likely duplicates side by side, best first."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from rapport.core.progress import progress_for, task_enqueue
from rapport.quality.dedupe import queue
from rapport.quality.dedupe.models import DuplicatePair
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
        "can_scan": getattr(user, "is_administrator", False),
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
    if not getattr(user, "is_administrator", False):
        raise PermissionDenied("Only administrators start a duplicate scan.")
    result = task_enqueue(
        task=scan_duplicates, acting_user=user, args=[sorted(SCANS)], message="Duplicate scan"
    )
    return redirect(f"{reverse('dedupe:queue')}?task={result.id}")
