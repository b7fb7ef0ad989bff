"""Pipeline pages: the opportunity list, page and forms, moving a deal (stage gates shown
clearly), completing methodology steps, the pipeline board, and the stage administration.

Each view checks access, makes one service or selector call, and renders.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from rapport.access import permissions
from rapport.access.models import Team, User
from rapport.activities.timeline import timeline_for
from rapport.pipeline import selectors, services
from rapport.pipeline.filters import OpportunityFilter
from rapport.pipeline.gates import StageGateError, UnmetGate, unmet_gates
from rapport.pipeline.models import LineItem, MethodologyStep, Opportunity, OpportunityStep, Stage
from rapport.pipeline.web.forms import MethodologyStepForm, MoveForm, OpportunityForm, StageForm
from rapport.web.records import (
    Column,
    RecordDelete,
    RecordDetail,
    RecordFormView,
    RecordList,
    picklist_badge,
    prepare_form,
)

RECORD_TYPE = "opportunity"
# List filters standing for a field: refused like the field when it is hidden from the viewer.
FILTER_FIELDS = {"amount_min": "amount", "amount_max": "amount"}


def _stage_badge(opportunity: Opportunity) -> dict[str, str]:
    tone = {"won": "green", "lost": "red"}.get(opportunity.stage.kind, "blue")
    return {"label": opportunity.stage.name, "color": tone}


# The list ---------------------------------------------------------------------------------------


class OpportunityList(RecordList):
    record_type = RECORD_TYPE
    title = "Opportunities"
    lede = "Deals in the pipeline, and the ones won and lost."
    filterset_class = OpportunityFilter
    search_fields = ("name", "account__name")
    default_sort = "forecast_close_date"
    create_url_name = "pipeline:opportunity-create"
    log_call = True
    extra_actions = (("Board", "pipeline:board"),)
    columns = (
        Column("name", "Opportunity", field="name", sort="name", link=True),
        Column("account", "Account", field="account", sort="account__name"),
        Column(
            "stage",
            "Stage",
            field="stage",
            sort="stage__sort_order",
            kind="badge",
            value=_stage_badge,
        ),
        Column(
            "amount",
            "Amount",
            field="amount",
            sort="amount",
            kind="num",
            value=lambda o: "" if o.amount is None else f"{o.amount:,.2f} {o.currency.key}",
        ),
        Column(
            "currency",
            "Currency",
            field="currency",
            value=lambda o: o.currency.key,
            default=False,
        ),
        Column(
            "close",
            "Close date",
            field="forecast_close_date",
            sort="forecast_close_date",
            kind="date",
        ),
        Column(
            "probability",
            "Probability %",
            field="probability",
            sort="probability",
            kind="num",
            default=False,
        ),
        Column("owner", "Owner", field="owner", value=lambda o: o.owner.get_full_name()),
        Column(
            "source",
            "Source",
            field="source",
            kind="badge",
            value=lambda o: picklist_badge(o.source),
            default=False,
        ),
        Column(
            "stage_since",
            "In stage since",
            field="stage_changed_at",
            sort="stage_changed_at",
            kind="date",
            default=False,
        ),
        Column(
            "updated", "Updated", field="updated_at", sort="updated_at", kind="date", default=False
        ),
    )

    def get_queryset(self) -> QuerySet[Opportunity]:
        return selectors.opportunities_base().select_related("source")

    def filtered(self, request: HttpRequest, params: QueryDict, user: Any) -> tuple[Any, Any]:
        hidden = permissions.policy_for(user, self.record_type).hidden_fields
        refused = sorted(name for name in params if FILTER_FIELDS.get(name) in hidden)
        if refused:
            raise PermissionDenied("Your role may not filter by: " + ", ".join(refused) + ".")
        return super().filtered(request, params, user)


# One deal ---------------------------------------------------------------------------------------


def _detail_queryset() -> QuerySet[Opportunity]:
    return (
        selectors.opportunities_base()
        .select_related("loss_reason", "source", "price_list", "order", "order__status")
        .prefetch_related(
            Prefetch("line_items", queryset=LineItem.objects.select_related("product"))
        )
    )


def _steps_context(opportunity: Opportunity, *, prompt: str = "") -> dict[str, Any]:
    steps = selectors.steps_of(opportunity)
    following = selectors.next_stage(opportunity)
    all_done = (
        opportunity.stage.kind == Stage.Kind.OPEN
        and bool(steps)
        and all(line.done or not line.step.is_active for line in steps)
    )
    return {
        "opportunity": opportunity,
        "steps": steps,
        "next_stage": following,
        "all_done": all_done,
        "prompt": prompt,
    }


class OpportunityDetail(RecordDetail):
    record_type = RECORD_TYPE
    template_name = "pipeline/opportunity_detail.html"

    def get_queryset(self) -> QuerySet[Opportunity]:
        return _detail_queryset()

    def extra_context(self, request: HttpRequest, user: Any, obj: Any) -> dict[str, Any]:
        # The page shows a copy with hidden fields emptied; gates are judged on the real values
        # (a hidden amount is still filled), without showing them.
        judged = obj
        if permissions.policy_for(user, RECORD_TYPE).hidden_fields:
            judged = selectors.opportunities_base().get(pk=obj.pk)
        return {
            **_steps_context(obj),
            "stage_path": selectors.stage_path(judged),
            "stage_history": selectors.stage_history(obj),
            "stage_times": selectors.time_in_stages(obj),
            "timeline_entries": timeline_for(viewer=user, subject_type="opportunity", subject=obj),
            "timeline_ref": f"opportunity:{obj.pk}",
        }


class OpportunityEdit(RecordFormView):
    record_type = RECORD_TYPE
    form_class = OpportunityForm
    list_url_name = "pipeline:opportunity-list"

    def initial(self, request: HttpRequest, user: Any) -> dict[str, Any]:
        return {
            "owner": user.pk,
            "account": request.GET.get("account") or None,
            "contact": request.GET.get("contact") or None,
            "currency": services.default_currency(),
        }

    def create(self, user: Any, values: dict[str, Any], form: Any) -> Opportunity:
        values = {
            k: v for k, v in values.items() if not (k in {"probability", "currency"} and v is None)
        }
        return services.opportunity_create(acting_user=user, values=values)

    def update(self, user: Any, obj: Any, values: dict[str, Any], form: Any) -> Opportunity:
        return services.opportunity_update(acting_user=user, opportunity=obj, values=values)


class OpportunityDelete(RecordDelete):
    record_type = RECORD_TYPE
    list_url_name = "pipeline:opportunity-list"

    def delete(self, user: Any, obj: Any) -> None:
        services.opportunity_delete(acting_user=user, opportunity=obj)


# Moving a deal ----------------------------------------------------------------------------------


def _fields_to_fill(opportunity: Opportunity, stage: Stage | None) -> list[str]:
    """The deal's fields a move to `stage` needs filled (those its gates name)."""
    if stage is None:
        return []
    gates = unmet_gates(opportunity=opportunity, target=stage)
    names = [g.field for g in gates if g.kind in {"field", "loss_reason"}]
    return list(dict.fromkeys(names))


def _target(request: HttpRequest) -> Stage | None:
    raw = request.POST.get("stage") if request.method == "POST" else request.GET.get("stage")
    try:
        return Stage.objects.filter(pk=int(raw or 0)).first()
    except ValueError:
        return None


@login_required
def opportunity_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a deal to a stage: shows what stands in the way, and the fields to fill on the way."""
    user = request.user
    opportunity, _can_edit = selectors.opportunity_for_user(user=user, pk=pk, action="edit")
    target = _target(request)
    fill = [
        name
        for name in _fields_to_fill(opportunity, target)
        if name not in permissions.policy_for(user, RECORD_TYPE).protected_fields
    ]
    form = MoveForm(
        request.POST if request.method == "POST" else None,
        opportunity=opportunity,
        fill=fill,
        initial={"stage": target},
    )
    prepare_form(form, record_type=RECORD_TYPE, user=user)
    gates: list[UnmetGate] = (
        unmet_gates(opportunity=opportunity, target=target) if target is not None else []
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            stage = form.cleaned_data["stage"]
            values = {name: form.cleaned_data[name] for name in fill if name in form.cleaned_data}
            values = {k: v for k, v in values.items() if v not in (None, "")}
            try:
                services.opportunity_move_stage(
                    acting_user=user, opportunity=opportunity, stage=stage, values=values
                )
            except StageGateError as error:
                gates = error.gates
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"“{opportunity}” moved to {stage.name}.")
                return redirect("pipeline:opportunity-detail", pk=opportunity.pk)
    template = "pipeline/opportunity_move.html"
    if getattr(request, "htmx", False):
        template += "#move-form"
    return render(
        request,
        template,
        {
            "opportunity": opportunity,
            "form": form,
            "target": target,
            "gates": gates,
            "step_gates": [g for g in gates if g.kind == "step"],
        },
        status=status,
    )


@login_required
@require_POST
def step_complete(request: HttpRequest, pk: int, step_pk: int) -> HttpResponseBase:
    """Mark a methodology step done; the steps card comes back with the next-step prompt."""
    user = request.user
    opportunity, _can_edit = selectors.opportunity_for_user(user=user, pk=pk, action="edit")
    prompted = get_object_or_404(
        OpportunityStep.objects.select_related("step"), pk=step_pk, opportunity=opportunity
    )
    try:
        following = services.opportunity_step_complete(acting_user=user, opportunity_step=prompted)
    except ValidationError as error:
        if getattr(request, "htmx", False):
            prompted.refresh_from_db()
            return render(
                request,
                "pipeline/opportunity_detail.html#steps",
                {**_steps_context(opportunity, prompt=" ".join(error.messages)), "can_edit": True},
            )
        messages.error(request, " ".join(error.messages))
        return redirect("pipeline:opportunity-detail", pk=opportunity.pk)
    if following is not None:
        prompt = f"Next: {following.step.name}, due {following.due_date:%-d %b %Y}."
    else:
        upcoming = selectors.next_stage(opportunity)
        prompt = f"All steps done — move to {upcoming.name}." if upcoming else "All steps done."
    if getattr(request, "htmx", False):
        response = render(
            request,
            "pipeline/opportunity_detail.html#steps",
            {**_steps_context(opportunity, prompt=prompt), "can_edit": True},
        )
        # The page's timeline listens, and reloads: the step's task is done, the next one due.
        response["HX-Trigger"] = "pipeline:steps-changed"
        return response
    messages.success(request, f"“{prompted.step.name}” done. {prompt}")
    return redirect("pipeline:opportunity-detail", pk=opportunity.pk)


# The board --------------------------------------------------------------------------------------


def _int_param(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """The pipeline as columns of cards; drag a card to another stage to move the deal."""
    user = request.user
    policy = permissions.check(user, "read", RECORD_TYPE)
    owner_id = _int_param(request.GET.get("owner"))
    team_id = _int_param(request.GET.get("team"))
    columns = selectors.board(viewer=user, owner_id=owner_id, team_id=team_id)
    return render(
        request,
        "pipeline/board.html",
        {
            "columns": [c for c in columns if c.stage.kind == Stage.Kind.OPEN],
            "drop_zones": [c for c in columns if c.stage.kind != Stage.Kind.OPEN],
            "owners": User.objects.filter(is_active=True).order_by("first_name", "last_name"),
            "teams": Team.objects.filter(is_active=True).order_by("name"),
            "owner_id": owner_id,
            "team_id": team_id,
            "can_edit": policy.can("edit"),
            "hidden": policy.hidden_fields,
            "card_limit": selectors.BOARD_CARD_LIMIT,
            "all_stages": [c.stage for c in columns],
        },
    )


@login_required
@require_POST
def board_move(request: HttpRequest, pk: int) -> JsonResponse:
    """A card dropped on a column: move the deal through the same service (and gates).

    Answers JSON for board.js: 200 when moved, 400 with every unmet gate when refused (the card
    snaps back and the gates are shown), 403/404 like the pages.
    """
    user = request.user
    opportunity, _can_edit = selectors.opportunity_for_user(user=user, pk=pk, action="edit")
    stage = _target(request)
    if stage is None:
        return JsonResponse({"ok": False, "message": "Choose a stage.", "gates": []}, status=400)
    try:
        services.opportunity_move_stage(acting_user=user, opportunity=opportunity, stage=stage)
    except StageGateError as error:
        return JsonResponse(
            {
                "ok": False,
                "message": f"“{opportunity}” cannot move to {stage.name} yet.",
                "gates": [g.message for g in error.gates],
                "move_url": reverse("pipeline:opportunity-move", args=[opportunity.pk])
                + f"?stage={stage.pk}",
            },
            status=400,
        )
    except ValidationError as error:
        return JsonResponse(
            {"ok": False, "message": " ".join(error.messages), "gates": []}, status=400
        )
    return JsonResponse(
        {"ok": True, "message": f"“{opportunity}” moved to {stage.name}.", "gates": []}
    )


# Stage administration -----------------------------------------------------------------------------


def _require_admin(request: HttpRequest) -> Any:
    user = request.user
    if not isinstance(user, User) or not user.is_administrator:
        raise PermissionDenied("Only administrators configure the sales process.")
    return user


@login_required
def admin_stages(request: HttpRequest) -> HttpResponse:
    admin = _require_admin(request)
    permissions.check(admin, "read", "stage")
    stages = Stage.objects.order_by("sort_order", "id").prefetch_related(
        Prefetch("steps", queryset=MethodologyStep.objects.order_by("sort_order", "id"))
    )
    return render(request, "pipeline/admin/stages.html", {"stages": stages})


def _admin_form(
    request: HttpRequest,
    *,
    record_type: str,
    form_class: Any,
    instance: Any,
    save: Any,
    noun: str,
    initial: dict[str, Any] | None = None,
) -> HttpResponse:
    admin = _require_admin(request)
    policy = permissions.check(admin, "create" if instance is None else "edit", record_type)
    data = request.POST if request.method == "POST" else None
    # The form validates into its own copy: the service must see the record as it was, to
    # audit what changed.
    editable = type(instance).objects.get(pk=instance.pk) if instance is not None else None
    form = form_class(data, instance=editable, initial=initial)
    prepare_form(form, record_type=record_type, user=admin)
    del policy
    if request.method == "POST" and form.is_valid():
        values = {
            name: value
            for name, value in form.cleaned_data.items()
            if name in form.fields and not form.fields[name].disabled
        }
        try:
            saved = save(admin, values)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, f"{noun.capitalize()} “{saved}” saved.")
            return redirect("pipeline:stage-list")
    return render(
        request,
        "pipeline/admin/form.html",
        {
            "form": form,
            "object": instance,
            "noun": noun,
            "record_type": record_type,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def admin_stage_create(request: HttpRequest) -> HttpResponse:
    return _admin_form(
        request,
        record_type="stage",
        form_class=StageForm,
        instance=None,
        save=lambda user, values: services.stage_create(acting_user=user, values=values),
        noun="stage",
        initial={"kind": Stage.Kind.OPEN, "is_active": True},
    )


@login_required
def admin_stage_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    stage = get_object_or_404(Stage, pk=pk)
    return _admin_form(
        request,
        record_type="stage",
        form_class=StageForm,
        instance=stage,
        save=lambda user, values: services.stage_update(
            acting_user=user, stage=stage, values=values
        ),
        noun="stage",
    )


@login_required
@require_POST
def admin_stage_retire(request: HttpRequest, pk: int) -> HttpResponse:
    admin = _require_admin(request)
    stage = get_object_or_404(Stage, pk=pk)
    try:
        services.stage_retire(acting_user=admin, stage=stage)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Stage “{stage}” retired: deals at it keep it.")
    return redirect("pipeline:stage-list")


@login_required
@require_POST
def admin_stage_reorder(request: HttpRequest, pk: int) -> HttpResponse:
    admin = _require_admin(request)
    stage = get_object_or_404(Stage, pk=pk)
    offset = -1 if request.POST.get("direction") == "up" else 1
    services.stage_reorder(acting_user=admin, stage=stage, offset=offset)
    return redirect(reverse("pipeline:stage-list") + f"#stage-{stage.pk}")


@login_required
def admin_step_create(request: HttpRequest) -> HttpResponse:
    return _admin_form(
        request,
        record_type="methodology_step",
        form_class=MethodologyStepForm,
        instance=None,
        save=lambda user, values: services.methodology_step_create(acting_user=user, values=values),
        noun="methodology step",
        initial={"stage": request.GET.get("stage"), "is_required": True, "is_active": True},
    )


@login_required
def admin_step_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    step = get_object_or_404(MethodologyStep, pk=pk)
    return _admin_form(
        request,
        record_type="methodology_step",
        form_class=MethodologyStepForm,
        instance=step,
        save=lambda user, values: services.methodology_step_update(
            acting_user=user, step=step, values=values
        ),
        noun="methodology step",
    )


@login_required
@require_POST
def admin_step_retire(request: HttpRequest, pk: int) -> HttpResponse:
    admin = _require_admin(request)
    step = get_object_or_404(MethodologyStep, pk=pk)
    services.methodology_step_retire(acting_user=admin, step=step)
    messages.success(request, f"Step “{step}” retired: it is no longer prompted nor a gate.")
    return redirect("pipeline:stage-list")


@login_required
@require_POST
def admin_step_reorder(request: HttpRequest, pk: int) -> HttpResponse:
    admin = _require_admin(request)
    step = get_object_or_404(MethodologyStep, pk=pk)
    offset = -1 if request.POST.get("direction") == "up" else 1
    services.methodology_step_reorder(acting_user=admin, step=step, offset=offset)
    return redirect(reverse("pipeline:stage-list") + f"#stage-{step.stage_id}")
