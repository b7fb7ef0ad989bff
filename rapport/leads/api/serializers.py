"""Bodies of the lead, qualification question and web form collections."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from rapport.api.records import RECORD_READ_ONLY, RecordSerializer
from rapport.core.models import Picklist, PicklistValue
from rapport.leads import services
from rapport.leads.models import Lead, QualificationAnswer, QualificationQuestion, WebForm


class LeadSerializer(RecordSerializer):
    record_type = "lead"
    owner_name = serializers.CharField(source="owner.get_full_name", read_only=True)
    completeness = serializers.IntegerField(
        read_only=True,
        help_text="Answered active qualification questions out of the active ones, in percent.",
    )

    class Meta:
        model = Lead
        fields = (
            "id",
            "first_name",
            "last_name",
            "company",
            "job_title",
            "title_level",
            "email",
            "phone",
            "website",
            "industry",
            "status",
            "source",
            "owner",
            "owner_name",
            "street",
            "city",
            "postal_code",
            "region",
            "country",
            "description",
            "last_touched_at",
            "status_changed_at",
            "completeness",
            "web_form",
            "converted_at",
            "converted_account",
            "converted_contact",
            "converted_opportunity",
            "external_id",
            "created_at",
            "updated_at",
        )
        read_only_fields = (
            *RECORD_READ_ONLY,
            "last_touched_at",
            "status_changed_at",
            "web_form",
            "converted_at",
            "converted_account",
            "converted_contact",
            "converted_opportunity",
        )
        extra_kwargs: dict[str, Any] = {"owner": {"required": False}}

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        # A new lead starts as "new" when no status is given.
        fields["status"].required = False
        return fields


class AnswerSerializer(serializers.Serializer[QualificationAnswer]):
    question = serializers.CharField(source="question.key", help_text="The question's key.")
    question_text = serializers.CharField(source="question.text")
    question_active = serializers.BooleanField(source="question.is_active")
    value = serializers.CharField(source="value.key", help_text="The answer's picklist key.")
    value_label = serializers.CharField(source="value.label")
    answered_at = serializers.DateTimeField()
    answered_by = serializers.IntegerField(source="answered_by_id", allow_null=True)


class AnswersSerializer(serializers.Serializer[Any]):
    """{question key: answer key, or null to clear}; questions left out keep their answers."""

    answers = serializers.DictField(
        child=serializers.CharField(allow_null=True),
        help_text="Question key → answer key (null clears the answer).",
    )

    def to_pairs(self) -> dict[QualificationQuestion, PicklistValue | None]:
        """The answers as objects; unknown questions or answers are refused by name."""
        raw: dict[str, str | None] = self.validated_data["answers"]
        questions = {q.key: q for q in QualificationQuestion.objects.filter(key__in=list(raw))}
        errors: dict[str, str] = {}
        pairs: dict[QualificationQuestion, PicklistValue | None] = {}
        values = {
            (v.picklist_id, v.key): v
            for v in PicklistValue.objects.filter(
                picklist_id__in=[q.picklist_id for q in questions.values()]
            )
        }
        for key, answer in raw.items():
            question = questions.get(key)
            if question is None:
                errors[key] = "There is no such qualification question."
                continue
            if answer is None or answer == "":
                pairs[question] = None
                continue
            found = values.get((question.picklist_id, answer))
            if found is None:
                errors[key] = f"“{answer}” is not one of the possible answers to “{question.text}”."
                continue
            pairs[question] = found
        if errors:
            raise serializers.ValidationError(errors)
        return pairs


class OpportunityValuesSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(required=False, allow_blank=True)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
    forecast_close_date = serializers.DateField(required=False)
    stage = serializers.IntegerField(required=False, help_text="The id of the stage to start at.")
    currency = serializers.CharField(required=False, help_text="A currency picklist key, e.g. EUR.")
    description = serializers.CharField(required=False, allow_blank=True)


class ConvertSerializer(serializers.Serializer[Any]):
    account = serializers.IntegerField(
        required=False, allow_null=True, help_text="An existing account to use (id)."
    )
    contact = serializers.IntegerField(
        required=False, allow_null=True, help_text="An existing contact to use (id)."
    )
    create_account = serializers.BooleanField(
        default=False, help_text="Create a new account even if one matches."
    )
    create_contact = serializers.BooleanField(
        default=False, help_text="Create a new contact even if one matches."
    )
    create_opportunity = serializers.BooleanField(default=True)
    opportunity = OpportunityValuesSerializer(
        required=False,
        help_text="The new opportunity; amount and forecast_close_date are required.",
    )


class ConversionResultSerializer(serializers.Serializer[Any]):
    account = serializers.IntegerField(source="account.pk")
    contact = serializers.IntegerField(source="contact.pk")
    opportunity = serializers.IntegerField(source="opportunity.pk", allow_null=True)
    account_created = serializers.BooleanField()
    contact_created = serializers.BooleanField()


class QualificationQuestionSerializer(RecordSerializer):
    record_type = "qualification_question"
    picklist = serializers.SlugRelatedField(
        slug_field="key",
        queryset=Picklist.objects.all(),
        help_text="The key of the picklist whose active values are the possible answers.",
    )
    options = serializers.SerializerMethodField(help_text="The possible answers, in order.")

    class Meta:
        model = QualificationQuestion
        fields = (
            "id",
            "key",
            "text",
            "picklist",
            "options",
            "help_text",
            "sort_order",
            "is_active",
            "external_id",
            "created_at",
            "updated_at",
        )
        read_only_fields = (*RECORD_READ_ONLY, "sort_order", "is_active")

    def get_options(self, question: QualificationQuestion) -> list[dict[str, str]]:
        options: dict[int, list[PicklistValue]] = self.context.get("options", {})
        found = options.get(question.picklist_id)
        if found is None:
            found = list(question.picklist.values.filter(is_active=True).order_by("sort_order"))
        return [{"key": v.key, "label": v.label, "definition": v.definition} for v in found]


class WebFormSerializer(RecordSerializer):
    record_type = "web_form"
    fields = serializers.ListField(  # type: ignore[assignment]
        child=serializers.ChoiceField(choices=services.WEB_FORM_FIELDS),
        required=False,
        help_text="The lead fields the form asks for, in order (last_name and email always).",
    )
    required_fields = serializers.ListField(
        child=serializers.ChoiceField(choices=services.WEB_FORM_FIELDS), required=False
    )
    questions = serializers.SlugRelatedField(
        slug_field="key",
        many=True,
        required=False,
        queryset=QualificationQuestion.objects.filter(is_active=True),
        help_text="Keys of the qualification questions the form asks.",
    )
    public_url = serializers.SerializerMethodField()
    api_url = serializers.SerializerMethodField()

    class Meta:
        model = WebForm
        fields = (
            "id",
            "name",
            "key",
            "fields",
            "required_fields",
            "questions",
            "owner",
            "source",
            "success_message",
            "redirect_url",
            "is_active",
            "public_url",
            "api_url",
            "external_id",
            "created_at",
            "updated_at",
        )
        read_only_fields = (*RECORD_READ_ONLY, "key", "is_active")
        extra_kwargs: dict[str, Any] = {"owner": {"required": False}}

    def get_public_url(self, form: WebForm) -> str:
        from rapport.leads.web.snippets import public_form_url

        return public_form_url(self.context.get("request"), form)

    def get_api_url(self, form: WebForm) -> str:
        from rapport.leads.web.snippets import json_endpoint_url

        return json_endpoint_url(self.context.get("request"), form)
