"""Activity pages: the list, a page per activity, the forms, completing tasks, the quick call."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from rapport.access import permissions
from rapport.access.models import User
from rapport.activities import selectors, services
from rapport.activities.filters import ActivityFilter
from rapport.activities.models import Activity
from rapport.activities.timeline import KIND_ICONS, activity_entry
from rapport.activities.web.forms import ActivityForm, QuickCallForm
from rapport.core import records
from rapport.web.records import (
    Column,
    RecordDelete,
    RecordDetail,
    RecordFormView,
    RecordList,
    picklist_badge,
)

RECORD_TYPE = "activity"


def _signed_in(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User), "login_required runs first"
    return user


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


# The list -----------------------------------------------------------------------------------------


def _kind_label(activity: Activity) -> str:
    return str(activity.get_kind_display())


def _concerns(activity: Activity) -> str:
    for name in ("opportunity", "lead", "contact", "account"):
        linked = getattr(activity, name)
        if linked is not None:
            return str(linked)
    return ""


def _status(activity: Activity) -> Any:
    if activity.kind == Activity.Kind.TASK:
        if activity.completed_at is not None:
            return {"label": "Done", "color": "green"}
        if activity.due_date is not None and activity.due_date < timezone.localdate():
            return {"label": "Overdue", "color": "red"}
        return {"label": "Open", "color": "blue"}
    return picklist_badge(activity.call_outcome)


class ActivityList(RecordList):
    record_type = RECORD_TYPE
    title = "Activities"
    lede = "Calls, meetings, e-mails, tasks and notes on your accounts, contacts, leads and deals."
    filterset_class = ActivityFilter
    search_fields = ("subject",)
    default_sort = "-occurred_at"
    create_url_name = "activities:activity-create"
    columns = (
        Column("subject", "Subject", field="subject", sort="subject", link=True),
        Column("kind", "Kind", field="kind", sort="kind", value=_kind_label),
        Column("status", "Status", kind="badge", value=_status),
        Column("concerns", "Concerns", value=_concerns),
        Column("owner", "Owner", field="owner", value=lambda a: a.owner.get_full_name()),
        Column("occurred_at", "When", field="occurred_at", sort="occurred_at", kind="date"),
        Column("due_date", "Due", field="due_date", sort="due_date", kind="date"),
        Column(
            "duration",
            "Minutes",
            field="duration_minutes",
            sort="duration_minutes",
            kind="num",
            default=False,
        ),
    )

    def get_queryset(self) -> QuerySet[Activity]:
        return Activity.objects.select_related(
            "owner", "call_outcome", "account", "contact", "lead", "opportunity"
        )


# One activity -------------------------------------------------------------------------------------


class ActivityDetail(RecordDetail):
    record_type = RECORD_TYPE
    template_name = "activities/activity_detail.html"

    def get_queryset(self) -> QuerySet[Activity]:
        return Activity.objects.select_related(
            "owner",
            "call_outcome",
            "account",
            "contact",
            "lead",
            "opportunity",
            "opportunity_step__step",
        )

    def extra_context(self, request: HttpRequest, user: Any, obj: Any) -> dict[str, Any]:
        policy = permissions.policy_for(user, RECORD_TYPE)
        return {
            "icon": KIND_ICONS.get(obj.kind, "bolt"),
            "can_complete": obj.is_open_task
            and policy.can("edit")
            and "completed_at" not in policy.protected_fields,
            "can_reopen": obj.kind == Activity.Kind.TASK
            and obj.completed_at is not None
            and policy.can("edit")
            and "completed_at" not in policy.protected_fields,
            "status": _status(obj),
            "links": _links(obj),
        }


def _links(activity: Activity) -> list[tuple[str, Model, str]]:
    """The records the activity concerns: (label, record, url or "" when it has no page)."""
    found = []
    for name in ("account", "contact", "lead", "opportunity"):
        linked = getattr(activity, name)
        if linked is None:
            continue
        rt = records.get(name)
        try:
            url = reverse(rt.url_name, args=[linked.pk]) if rt.url_name else ""
        except NoReverseMatch:
            url = ""
        found.append((str(rt.label), linked, url))
    return found


def _fixed_links(request: HttpRequest, user: Any) -> dict[str, Model]:
    """The record a new activity is for (?for=contact:5), if the person may see it."""
    reference = request.GET.get("for", "")
    if not reference:
        return {}
    try:
        record_type, record = selectors.subject_for_user(user=user, reference=reference)
    except ValidationError:
        return {}
    return {record_type: record}


def _detached_copy(activity: Activity) -> Activity:
    clone = copy.copy(activity)
    clone._state = copy.copy(activity._state)
    clone._state.fields_cache = {}
    return clone


def _without_empty_defaults(values: dict[str, Any]) -> dict[str, Any]:
    """Leave out an empty owner (the acting person) and an empty time (now, or unchanged)."""
    return {
        name: value
        for name, value in values.items()
        if not (name in ("owner", "occurred_at") and value is None)
    }


class ActivityEdit(RecordFormView):
    record_type = RECORD_TYPE
    form_class = ActivityForm
    list_url_name = "activities:activity-list"
    template_name = "activities/activity_form.html"

    def _kind(self, request: HttpRequest, obj: Activity | None) -> str:
        if obj is not None:
            return obj.kind
        wanted = request.POST.get("kind") or request.GET.get("kind") or ""
        return wanted if wanted in Activity.Kind.values else Activity.Kind.CALL

    def build_form(self, request: HttpRequest, user: Any, obj: Any) -> Any:
        from rapport.web.records import prepare_form

        kind = self._kind(request, obj)
        fixed = _fixed_links(request, user) if obj is None else {}
        # The form edits a copy: validating writes into the instance, and the service must see
        # the activity as it was to apply its rules and audit the change.
        instance = _detached_copy(obj) if obj is not None else Activity(kind=kind)
        data = request.POST if request.method == "POST" else None
        initial = None
        if obj is None:
            initial = {
                "kind": kind,
                "owner": user.pk,
                "occurred_at": timezone.localtime().replace(second=0, microsecond=0),
            }
            if fixed:
                name = selectors.subject_name(next(iter(fixed.values())))
                initial["subject"] = f"{Activity.Kind(kind).label} with {name}"
        form = ActivityForm(
            data, instance=instance, initial=initial, kind=kind, user=user, fixed_links=fixed
        )
        prepare_form(form, record_type=RECORD_TYPE, user=user)
        form.fixed_links = fixed  # type: ignore[attr-defined]
        return form

    def create(self, user: Any, values: dict[str, Any], form: Any) -> Activity:
        values = _without_empty_defaults(values)
        values.update(getattr(form, "fixed_links", {}))
        return services.activity_create(acting_user=user, values=values)

    def update(self, user: Any, obj: Any, values: dict[str, Any], form: Any) -> Activity:
        values = _without_empty_defaults(values)
        values.pop("kind", None)  # the kind of an activity stays what it was logged as
        return services.activity_update(acting_user=user, activity=obj, values=values)

    def success_url(self, saved: Model) -> str:
        return _safe_next(self.request, reverse("activities:activity-detail", args=[saved.pk]))

    def extra_context(self, request: HttpRequest, user: Any, obj: Any) -> dict[str, Any]:
        fixed = _fixed_links(request, user) if obj is None else {}
        kind = self._kind(request, obj)
        query = request.GET.copy()
        kinds = []
        for value, label in Activity.Kind.choices:
            query["kind"] = value
            kinds.append(
                {
                    "value": value,
                    "label": label,
                    "icon": KIND_ICONS[value],
                    "url": f"?{query.urlencode()}",
                    "current": value == kind,
                }
            )
        return {
            "kind": kind,
            "kind_label": Activity.Kind(kind).label,
            "kinds": kinds if obj is None else [],
            "fixed_links": list(fixed.items()),
            "next": request.GET.get("next", ""),
        }


class ActivityDelete(RecordDelete):
    record_type = RECORD_TYPE
    list_url_name = "activities:activity-list"

    def delete(self, user: Any, obj: Any) -> None:
        services.activity_delete(acting_user=user, activity=obj)


# Completing tasks ---------------------------------------------------------------------------------


@login_required
@require_POST
def task_complete(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Tick a task off; HTMX callers get the piece of page they show the task in."""
    user = _signed_in(request)
    task = selectors.activity_for_user(user=user, pk=pk, action="edit")
    reopen = request.POST.get("reopen") == "1"
    try:
        if reopen:
            services.task_reopen(acting_user=user, task=task)
        else:
            services.task_complete(acting_user=user, task=task)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("activities:activity-detail", pk=pk)
    where = request.POST.get("return", "")
    if getattr(request, "htmx", False) and where == "timeline":
        policy = permissions.policy_for(user, RECORD_TYPE)
        entry = activity_entry(
            task,
            notes_visible="notes" not in policy.hidden_fields,
            today=timezone.localdate(),
        )
        return render(request, "activities/_timeline.html#entry", {"entry": entry})
    if getattr(request, "htmx", False) and where == "my-day":
        return render(request, "web/home.html#task-row", {"task": task, "done": True})
    messages.success(request, f"“{task.subject}” {'reopened' if reopen else 'marked as done'}.")
    return redirect(_safe_next(request, reverse("activities:activity-detail", args=[pk])))


# The quick call -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def quick_call(request: HttpRequest) -> HttpResponse:
    """Log a call on an account, contact, lead or opportunity (?for=contact:5) in place."""
    user = _signed_in(request)
    if request.GET.get("cancel"):
        return HttpResponse("")
    permissions.check(user, "create", RECORD_TYPE)
    reference = request.GET.get("for", "")
    try:
        record_type, record = selectors.subject_for_user(user=user, reference=reference)
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=400, content_type="text/plain")
    name = selectors.subject_name(record)
    context: dict[str, Any] = {
        "reference": reference,
        "record_type": records.get(record_type),
        "record": record,
        "record_name": name,
    }
    if request.method == "POST":
        form = QuickCallForm(request.POST, user=user)
        if form.is_valid():
            try:
                call = services.activity_create(
                    acting_user=user, values={**form.values(), record_type: record}
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                context["call"] = call
                template = "activities/quick_call.html"
                if getattr(request, "htmx", False):
                    template += "#done"
                return render(request, template, context)
        context["form"] = form
        # htmx swaps only 2xx answers: the fragment with its errors must come back as 200.
        status = 200 if getattr(request, "htmx", False) else 400
    else:
        context["form"] = QuickCallForm(initial={"subject": f"Call with {name}"}, user=user)
        status = 200
    template = "activities/quick_call.html"
    if getattr(request, "htmx", False):
        template += "#form"
    return render(request, template, context, status=status)
