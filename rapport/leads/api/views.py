"""The lead, qualification question and web form collections."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from rapport.access import permissions
from rapport.api.errors import ErrorSerializer
from rapport.api.records import RecordViewSet
from rapport.core.models import PicklistValue
from rapport.leads import selectors, services
from rapport.leads.api import serializers
from rapport.leads.filters import LeadFilter
from rapport.leads.models import Lead, QualificationQuestion, WebForm


@extend_schema_view(
    list=extend_schema(summary="List leads"),
    retrieve=extend_schema(summary="Show a lead"),
    create=extend_schema(
        summary="Add a lead", description="The status defaults to `new`; the owner to you."
    ),
    update=extend_schema(summary="Replace a lead"),
    partial_update=extend_schema(
        summary="Change a lead",
        description="A status change is timestamped (`status_changed_at`, `last_touched_at`) "
        "and kept in the lead's status history.",
    ),
    destroy=extend_schema(
        summary="Delete a lead",
        description="The lead goes to the recycle bin, from which an administrator restores it.",
        responses={204: None},
    ),
)
class LeadViewSet(RecordViewSet):
    record_type = "lead"
    serializer_class = serializers.LeadSerializer
    filterset_class = LeadFilter
    search_fields = ("first_name", "last_name", "company", "email")
    ordering_fields = (
        "last_name",
        "company",
        "created_at",
        "updated_at",
        "last_touched_at",
        "status_changed_at",
        "completeness",
    )
    ordering = ("-created_at", "-id")

    def get_base_queryset(self) -> QuerySet[Lead]:
        return selectors.with_completeness(
            Lead.objects.select_related("status", "source", "owner", "industry", "title_level")
        )

    def create_record(self, data: dict[str, Any]) -> Lead:
        return services.lead_create(acting_user=self.request.user, values=data)

    def update_record(self, instance: Lead, data: dict[str, Any]) -> Lead:
        return services.lead_update(acting_user=self.request.user, lead=instance, values=data)

    def delete_record(self, instance: Lead) -> None:
        services.lead_delete(acting_user=self.request.user, lead=instance)

    @extend_schema(
        methods=["GET"],
        summary="A lead's qualification answers",
        responses=serializers.AnswerSerializer(many=True),
    )
    @extend_schema(
        methods=["PUT"],
        summary="Answer a lead's qualification questions",
        description="Each answer must be an active value of its question's picklist; all are "
        "saved or none. Questions left out keep their answers; null clears one.",
        request=serializers.AnswersSerializer,
        responses={
            200: serializers.AnswerSerializer(many=True),
            400: OpenApiResponse(ErrorSerializer, description="An answer is not possible."),
        },
    )
    @action(
        detail=True,
        methods=["get", "put"],
        filter_backends=[],
        pagination_class=None,
        serializer_class=serializers.AnswersSerializer,
    )
    def answers(self, request: Request, pk: str | None = None) -> Response:
        lead = self.get_object()
        if request.method == "PUT":
            body = serializers.AnswersSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            services.lead_answers_set(acting_user=request.user, lead=lead, answers=body.to_pairs())
        answers = selectors.lead_answers(lead)
        out = serializers.AnswerSerializer(answers, many=True)  # type: ignore[arg-type]
        return Response(out.data)

    @extend_schema(
        summary="Convert a qualified lead",
        description="Creates (or reuses, when one matches) an account and a contact, and creates "
        "an opportunity (amount and forecast_close_date required), in one transaction. The "
        "lead's activities and answers move to them; the lead links back and becomes "
        "`converted`.",
        request=serializers.ConvertSerializer,
        responses={
            201: serializers.ConversionResultSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Not qualified, or a value missing."),
        },
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def convert(self, request: Request, pk: str | None = None) -> Response:
        lead = self.get_object()
        body = serializers.ConvertSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        result = services.lead_convert(
            acting_user=request.user,
            lead=lead,
            account=_visible(request, "account", data.get("account")),
            contact=_visible(request, "contact", data.get("contact")),
            create_account=data["create_account"],
            create_contact=data["create_contact"],
            create_opportunity=data["create_opportunity"],
            opportunity_values=_opportunity_values(dict(data.get("opportunity") or {})),
        )
        return Response(
            serializers.ConversionResultSerializer(result).data, status=status.HTTP_201_CREATED
        )


def _visible(request: Request, record_type: str, pk: int | None) -> Any:
    """The account or contact the caller picked, if they may see it (else a 400 naming it)."""
    if pk is None:
        return None
    from rapport.core import records

    model: Any = records.get(record_type).model
    found = permissions.scope_queryset(request.user, record_type, model.objects.all())
    obj = found.filter(pk=pk).first()
    if obj is None:
        raise exceptions.ValidationError({record_type: [f"There is no such {record_type}."]})
    return obj


def _opportunity_values(values: dict[str, Any]) -> dict[str, Any]:
    from rapport.pipeline.models import Stage

    if "stage" in values:
        stage = Stage.objects.filter(pk=values["stage"], is_active=True).first()
        if stage is None:
            raise exceptions.ValidationError({"stage": ["There is no such active stage."]})
        values["stage"] = stage
    if "currency" in values:
        currency = PicklistValue.objects.filter(
            picklist__key="currency", key=values["currency"], is_active=True
        ).first()
        if currency is None:
            raise exceptions.ValidationError({"currency": ["There is no such currency."]})
        values["currency"] = currency
    return values


@extend_schema_view(
    list=extend_schema(summary="List qualification questions"),
    retrieve=extend_schema(summary="Show a qualification question"),
    create=extend_schema(summary="Add a qualification question (administrators)"),
    update=extend_schema(summary="Replace a qualification question (administrators)"),
    partial_update=extend_schema(summary="Change a qualification question (administrators)"),
)
class QualificationQuestionViewSet(RecordViewSet):
    record_type = "qualification_question"
    serializer_class = serializers.QualificationQuestionSerializer
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    ordering_fields = ("sort_order", "key", "created_at")
    ordering = ("sort_order", "id")
    filterset_fields = ("is_active",)
    method_not_allowed_hint = {
        "DELETE": "Questions are never deleted; retire one with POST …/deactivate/."
    }

    def get_base_queryset(self) -> QuerySet[QualificationQuestion]:
        return selectors.questions_with_picklists()

    def get_serializer_context(self) -> dict[str, Any]:
        context = dict(super().get_serializer_context())
        context["options"] = selectors.answer_options(list(QualificationQuestion.objects.all()))
        return context

    def create_record(self, data: dict[str, Any]) -> QualificationQuestion:
        return services.question_create(acting_user=self.request.user, values=data)

    def update_record(
        self, instance: QualificationQuestion, data: dict[str, Any]
    ) -> QualificationQuestion:
        return services.question_update(
            acting_user=self.request.user, question=instance, values=data
        )

    @extend_schema(
        summary="Retire a qualification question",
        description="It is no longer asked nor counted in completeness; answers stay.",
        request=None,
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def deactivate(self, request: Request, pk: str | None = None) -> Response:
        question = services.question_set_active(
            acting_user=request.user, question=self.get_object(), is_active=False
        )
        return self.respond(question)

    @extend_schema(summary="Ask a retired qualification question again", request=None)
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def reactivate(self, request: Request, pk: str | None = None) -> Response:
        question = services.question_set_active(
            acting_user=request.user, question=self.get_object(), is_active=True
        )
        return self.respond(question)


@extend_schema_view(
    list=extend_schema(summary="List web-to-lead forms"),
    retrieve=extend_schema(summary="Show a web-to-lead form"),
    create=extend_schema(summary="Add a web-to-lead form"),
    update=extend_schema(summary="Replace a web-to-lead form"),
    partial_update=extend_schema(summary="Change a web-to-lead form"),
)
class WebFormViewSet(RecordViewSet):
    record_type = "web_form"
    serializer_class = serializers.WebFormSerializer
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    ordering_fields = ("name", "created_at")
    ordering = ("name", "id")
    filterset_fields = ("is_active",)
    method_not_allowed_hint = {
        "DELETE": "Web forms are never deleted; switch one off with POST …/deactivate/."
    }

    def get_base_queryset(self) -> QuerySet[WebForm]:
        return WebForm.objects.select_related("owner", "source").prefetch_related("questions")

    def create_record(self, data: dict[str, Any]) -> WebForm:
        questions = data.pop("questions", [])
        return services.web_form_create(
            acting_user=self.request.user, values=data, questions=questions
        )

    def update_record(self, instance: WebForm, data: dict[str, Any]) -> WebForm:
        questions = data.pop("questions", None)
        return services.web_form_update(
            acting_user=self.request.user, form=instance, values=data, questions=questions
        )

    @extend_schema(summary="Switch a web form off", request=None)
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def deactivate(self, request: Request, pk: str | None = None) -> Response:
        form = services.web_form_set_active(
            acting_user=request.user, form=self.get_object(), is_active=False
        )
        return self.respond(form)

    @extend_schema(summary="Switch a web form on again", request=None)
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def reactivate(self, request: Request, pk: str | None = None) -> Response:
        form = services.web_form_set_active(
            acting_user=request.user, form=self.get_object(), is_active=True
        )
        return self.respond(form)
