"""Lead pages (list, detail with qualification and status history, forms, conversion), the
qualification question and web form administration, and the public hosted web-to-lead form."""

from __future__ import annotations

import copy
import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import DateTimeField, Model, QuerySet, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from rapport.access import permissions
from rapport.access.authentication import client_ip_address
from rapport.activities.timeline import timeline_for
from rapport.core.models import PicklistValue
from rapport.leads import ratelimit, selectors, services
from rapport.leads.filters import LeadFilter
from rapport.leads.models import Lead, QualificationQuestion, WebForm
from rapport.leads.web import snippets
from rapport.leads.web.forms import ConvertForm, LeadForm, PublicLeadForm, QuestionForm, WebFormForm
from rapport.web.records import (
    Column,
    RecordDelete,
    RecordDetail,
    RecordFormView,
    RecordList,
    detail_url,
    form_values,
    prepare_form,
    signed_in,
)

LEAD = "lead"
QUESTION = "qualification_question"
WEB_FORM = "web_form"

# "Never touched" sorts as the oldest touch of all.
NEVER = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def _badge(value: Any) -> Any:
    return {"label": value.label, "color": value.color or "gray"} if value else None


def _lead_queryset() -> QuerySet[Lead]:
    return selectors.with_completeness(
        Lead.objects.select_related("status", "source", "owner")
    ).annotate(touch_order=Coalesce("last_touched_at", Value(NEVER, output_field=DateTimeField())))


class LeadList(RecordList):
    record_type = LEAD
    title = "Leads"
    lede = "People who may buy: qualify them, touch them often, convert the qualified ones."
    filterset_class = LeadFilter
    search_fields = ("first_name", "last_name", "company", "email")
    default_sort = "-created_at"
    create_url_name = "leads:lead-create"
    log_call = True
    columns = (
        Column("name", "Name", field="last_name", sort="last_name", link=True,
               value=lambda lead: lead.full_name),
        Column("company", "Company", field="company", sort="company"),
        Column("status", "Status", field="status", kind="badge",
               value=lambda lead: _badge(lead.status)),
        Column("source", "Source", field="source", kind="badge",
               value=lambda lead: _badge(lead.source)),
        Column("owner", "Owner", field="owner", value=lambda lead: lead.owner.get_full_name()),
        Column("completeness", "Qualified", sort="completeness", kind="num",
               value=lambda lead: f"{lead.completeness}%"),
        Column("touched", "Last touched", field="last_touched_at", sort="touch_order",
               kind="since", value=lambda lead: lead.last_touched_at),
        Column("status_changed", "Status since", field="status_changed_at",
               sort="status_changed_at", kind="since", default=False),
        Column("email", "Email", field="email", default=False),
        Column("phone", "Phone", field="phone", default=False),
        Column("created", "Created", field="created_at", sort="created_at", kind="date",
               default=False),
    )  # fmt: skip

    def get_queryset(self) -> QuerySet[Lead]:
        return _lead_queryset()


class LeadDetail(RecordDetail):
    record_type = LEAD
    template_name = "leads/lead_detail.html"

    def get_queryset(self) -> QuerySet[Lead]:
        return Lead.objects.select_related(
            "status", "source", "owner", "industry", "title_level", "web_form",
            "converted_account", "converted_contact", "converted_opportunity", "converted_by",
        )  # fmt: skip

    def extra_context(self, request: HttpRequest, user: Any, obj: Any) -> dict[str, Any]:
        return _detail_context(user, obj)


def _detail_context(user: Any, lead: Lead) -> dict[str, Any]:
    policy = permissions.policy_for(user, LEAD)
    return {
        **_qualification_context(user, lead),
        "status_history": selectors.lead_status_history(lead)[:50],
        "timeline_entries": timeline_for(viewer=user, subject_type=LEAD, subject=lead),
        "timeline_ref": f"lead:{lead.pk}",
        "status_choices": selectors.status_choices(lead)
        if policy.can("edit") and not lead.is_converted
        else [],
        "can_convert": policy.can("edit")
        and not lead.is_converted
        and lead.status.key == services.STATUS_QUALIFIED,
        "converted_opportunity_url": detail_url("opportunity", lead.converted_opportunity)
        if lead.converted_opportunity is not None
        else "",
    }


def _qualification_context(user: Any, lead: Lead) -> dict[str, Any]:
    rows = selectors.qualification_panel(lead)
    answered = sum(1 for row in rows if row.answer is not None)
    completeness = selectors.Completeness(answered=answered, total=len(rows))
    return {
        "object": lead,
        "questions": rows,
        "completeness": completeness,
        "can_answer": permissions.policy_for(user, LEAD).can("edit") and not lead.is_converted,
    }


class LeadEdit(RecordFormView):
    record_type = LEAD
    form_class = LeadForm
    list_url_name = "leads:lead-list"

    def initial(self, request: HttpRequest, user: Any) -> dict[str, Any]:
        new = PicklistValue.objects.filter(
            picklist__key="lead_status", key=services.STATUS_NEW
        ).first()
        return {"owner": user.pk, "status": new.pk if new else None}

    def create(self, user: Any, values: dict[str, Any], form: Any) -> Lead:
        return services.lead_create(acting_user=user, values=values)

    def update(self, user: Any, obj: Any, values: dict[str, Any], form: Any) -> Lead:
        return services.lead_update(acting_user=user, lead=obj, values=values)


class LeadDelete(RecordDelete):
    record_type = LEAD
    list_url_name = "leads:lead-list"

    def delete(self, user: Any, obj: Any) -> None:
        services.lead_delete(acting_user=user, lead=obj)


@require_POST
@login_required
def lead_answers(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Save the answers posted (one select by HTMX, or the whole panel without script)."""
    user = signed_in(request)
    lead = selectors.lead_for_user(user=user, pk=pk, action="edit")
    questions = {str(q.pk): q for q in QualificationQuestion.objects.all()}
    posted: dict[QualificationQuestion, PicklistValue | None] = {}
    wanted: dict[QualificationQuestion, str] = {}
    for name in request.POST:
        if name.startswith("q_") and name[2:] in questions:
            wanted[questions[name[2:]]] = request.POST.get(name, "")
    chosen = {
        str(v.pk): v
        for v in PicklistValue.objects.filter(pk__in=[v for v in wanted.values() if v.isdigit()])
    }
    error = ""
    for question, raw in wanted.items():
        posted[question] = chosen.get(raw) if raw else None
        if raw and raw not in chosen:
            error = f"“{question.text}”: choose one of the listed answers."
    if not error:
        try:
            services.lead_answers_set(acting_user=user, lead=lead, answers=posted)
        except ValidationError as failure:
            error = " ".join(failure.messages)
    if not request.htmx:  # type: ignore[attr-defined]
        if error:
            messages.error(request, error)
        else:
            messages.success(request, "Answers saved.")
        return redirect(reverse("leads:lead-detail", args=[lead.pk]))
    context = {**_qualification_context(user, lead), "answer_error": error}
    return render(request, "leads/lead_detail.html#qualification", context)


@require_POST
@login_required
def lead_status(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Change the status from the lead's page: timestamped and kept in its history."""
    user = signed_in(request)
    lead = selectors.lead_for_user(user=user, pk=pk, action="edit")
    chosen = PicklistValue.objects.filter(
        picklist__key="lead_status", pk=_int(request.POST.get("status"))
    ).first()
    if chosen is None:
        messages.error(request, "Choose one of the listed statuses.")
    else:
        try:
            services.lead_update(acting_user=user, lead=lead, values={"status": chosen})
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Status set to {chosen.label}.")
    return redirect(reverse("leads:lead-detail", args=[lead.pk]))


def _int(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0


# Conversion ---------------------------------------------------------------------------------------


@login_required
def lead_convert(request: HttpRequest, pk: int) -> HttpResponse:
    """Suggested account and contact (or new ones), the opportunity, then convert."""
    user = signed_in(request)
    lead = selectors.lead_for_user(user=user, pk=pk, action="edit")
    accounts = services.account_matches(viewer=user, lead=lead)[:5]
    contacts = services.contact_matches(viewer=user, lead=lead)[:5]
    form = ConvertForm(
        request.POST if request.method == "POST" else None,
        accounts=accounts,
        contacts=contacts,
        initial={"name": f"{lead.company or lead.full_name}", "create_opportunity": True},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            account = next((a for a in accounts if str(a.pk) == data["account"]), None)
            contact = next((c for c in contacts if str(c.pk) == data["contact"]), None)
            try:
                result = services.lead_convert(
                    acting_user=user,
                    lead=lead,
                    account=account,
                    contact=contact,
                    create_account=data["account"] == "new",
                    create_contact=data["contact"] == "new",
                    create_opportunity=bool(data["create_opportunity"]),
                    opportunity_values=form.opportunity_values()
                    if data["create_opportunity"]
                    else {},
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, f"“{lead.full_name}” converted.")
                target = result.opportunity or result.contact
                kind = "opportunity" if result.opportunity else "contact"
                return redirect(detail_url(kind, target) or reverse("leads:lead-list"))
    return render(
        request,
        "leads/lead_convert.html",
        {
            "object": lead,
            "form": form,
            "accounts": accounts,
            "contacts": contacts,
            "can_convert": lead.status.key == services.STATUS_QUALIFIED and not lead.is_converted,
        },
        status=status,
    )


def _copy[M: Model](obj: M) -> M:
    clone = copy.copy(obj)
    clone._state = copy.copy(obj._state)
    clone._state.fields_cache = {}
    return clone


def _form_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


# Qualification questions (administration) --------------------------------------------------------


def _require_admin(request: HttpRequest) -> Any:
    user = signed_in(request)
    if not getattr(user, "is_administrator", False):
        raise PermissionDenied("Only administrators can change the qualification questions.")
    return user


@login_required
def question_list(request: HttpRequest) -> HttpResponse:
    admin = _require_admin(request)
    policy = permissions.check(admin, "read", QUESTION)
    return render(
        request,
        "leads/admin/questions.html",
        {"questions": selectors.questions_with_picklists(), "can_edit": policy.can("edit"),
         "can_create": policy.can("create")},
    )  # fmt: skip


@login_required
def question_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    admin = _require_admin(request)
    question = get_object_or_404(QualificationQuestion, pk=pk) if pk is not None else None
    action = "create" if question is None else ("edit" if request.method == "POST" else "read")
    permissions.check(admin, action, QUESTION, question)
    # The form edits a copy: validating writes into its instance, and the service must see the
    # record as it was to audit the change.
    instance = _copy(question) if question is not None else QualificationQuestion()
    form = QuestionForm(request.POST if request.method == "POST" else None, instance=instance)
    prepare_form(form, record_type=QUESTION, user=admin)
    if request.method == "POST" and form.is_valid():
        try:
            values = form_values(form)
            saved = (
                services.question_create(acting_user=admin, values=values)
                if question is None
                else services.question_update(acting_user=admin, question=question, values=values)
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, f"Question “{saved.text}” saved.")
            return redirect(reverse("leads:question-list"))
    return render(
        request,
        "leads/admin/question_form.html",
        {"form": form, "object": question},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def question_move(request: HttpRequest, pk: int) -> HttpResponseBase:
    admin = _require_admin(request)
    question = get_object_or_404(QualificationQuestion, pk=pk)
    offset = -1 if request.POST.get("direction") == "up" else 1
    services.question_move(acting_user=admin, question=question, offset=offset)
    return redirect(reverse("leads:question-list"))


@require_POST
@login_required
def question_set_active(request: HttpRequest, pk: int, active: bool) -> HttpResponseBase:
    admin = _require_admin(request)
    question = get_object_or_404(QualificationQuestion, pk=pk)
    permissions.check(admin, "delete", QUESTION, question)
    services.question_set_active(acting_user=admin, question=question, is_active=active)
    verb = "asked again" if active else "retired; its answers are kept"
    messages.success(request, f"“{question.text}” {verb}.")
    return redirect(reverse("leads:question-list"))


# Web forms (administration) -----------------------------------------------------------------------


@login_required
def web_form_list(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    policy = permissions.check(user, "read", WEB_FORM)
    return render(
        request,
        "leads/admin/web_forms.html",
        {"forms": selectors.web_forms(viewer=user), "can_create": policy.can("create")},
    )


@login_required
def web_form_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = signed_in(request)
    web_form = None
    if pk is not None:
        web_form = selectors.web_forms(viewer=user).filter(pk=pk).first()
        if web_form is None:
            permissions.check(user, "read", WEB_FORM)
            raise Http404("No such web form.")
    if web_form is None:
        policy = permissions.check(user, "create", WEB_FORM)
    else:
        policy = permissions.check(
            user, "edit" if request.method == "POST" else "read", WEB_FORM, web_form
        )
    can_save = policy.can("create" if web_form is None else "edit")
    instance = _copy(web_form) if web_form is not None else WebForm(owner=user)
    form = WebFormForm(request.POST if request.method == "POST" else None, instance=instance)
    prepare_form(form, record_type=WEB_FORM, user=user)
    if not can_save:
        for field in form.fields.values():
            field.disabled = True
    if request.method == "POST" and form.is_valid():
        values = form_values(form)
        values.pop("questions", None)  # a relation: set by the service from `questions`
        values["fields"] = form.cleaned_data["asked_fields"]
        values["required_fields"] = form.cleaned_data["required_fields"]
        questions = list(form.cleaned_data["questions"])
        try:
            saved = (
                services.web_form_create(acting_user=user, values=values, questions=questions)
                if web_form is None
                else services.web_form_update(
                    acting_user=user, form=web_form, values=values, questions=questions
                )
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, f"Web form “{saved.name}” saved.")
            return redirect(reverse("leads:web-form-edit", args=[saved.pk]))
    context: dict[str, Any] = {"form": form, "object": web_form, "can_save": can_save}
    if web_form is not None:
        context.update(
            public_url=snippets.public_form_url(request, web_form),
            api_url=snippets.json_endpoint_url(request, web_form),
            snippet=snippets.html_snippet(request, web_form),
            curl=snippets.curl_example(request, web_form),
            can_toggle=permissions.policy_for(user, WEB_FORM).can("delete"),
        )
    return render(
        request,
        "leads/admin/web_form_form.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@login_required
def web_form_set_active(request: HttpRequest, pk: int, active: bool) -> HttpResponseBase:
    user = signed_in(request)
    web_form = selectors.web_forms(viewer=user).filter(pk=pk).first()
    if web_form is None:
        permissions.check(user, "read", WEB_FORM)
        raise Http404("No such web form.")
    permissions.check(user, "delete", WEB_FORM, web_form)
    services.web_form_set_active(acting_user=user, form=web_form, is_active=active)
    messages.success(
        request, f"“{web_form.name}” {'takes submissions again' if active else 'switched off'}."
    )
    return redirect(reverse("leads:web-form-list"))


# The public hosted form ---------------------------------------------------------------------------


@csrf_exempt  # other sites post the embedded snippet here; nothing is done with a session
def web_form_public(request: HttpRequest, key: str) -> HttpResponse:
    """The hosted form (no app shell, no login): show it, or take a submission."""
    web_form = selectors.active_web_form(key)
    if web_form is None or not web_form.is_active:
        return render(request, "leads/public/unavailable.html", status=404)
    if request.method not in ("GET", "POST"):
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    form = PublicLeadForm(request.POST if request.method == "POST" else None, web_form=web_form)
    if request.method == "POST":
        wait = ratelimit.submission_wait(client_ip_address(request))
        if wait is not None:
            response = render(
                request,
                "leads/public/form.html",
                {"web_form": web_form, "form": form, "error": ratelimit.too_many_message(wait)},
                status=429,
            )
            response["Retry-After"] = str(wait)
            return response
        data = form.submission()
        bot = bool(str(data.get(services.HONEYPOT_FIELD) or "").strip())
        invalid = not bot and not form.is_valid()  # a bot gets its "thank you" regardless
        if not invalid:
            try:
                services.web_to_lead_submit(form=web_form, data=data)
            except ValidationError as error:
                _form_errors(form, error)
                invalid = True
        if invalid:
            return render(
                request, "leads/public/form.html", {"web_form": web_form, "form": form}, status=400
            )
        if web_form.redirect_url:
            return redirect(web_form.redirect_url)
        return render(request, "leads/public/thanks.html", {"web_form": web_form})
    return render(request, "leads/public/form.html", {"web_form": web_form, "form": form})
