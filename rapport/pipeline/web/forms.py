"""Forms of the pipeline pages: a deal, a move to another stage, stages and steps."""

from __future__ import annotations

from typing import Any

from django import forms

from rapport.access.models import User
from rapport.customers.models import Account, Contact
from rapport.pipeline.models import MethodologyStep, Opportunity, Stage
from rapport.pipeline.services import requirable_fields


def _limit(form: forms.BaseForm, name: str, queryset: Any) -> None:
    field = form.fields.get(name)
    if isinstance(field, forms.ModelChoiceField):
        field.queryset = queryset


class OpportunityForm(forms.ModelForm[Opportunity]):
    """A deal's details. Its stage changes through "Move to stage" (and its gates), not here."""

    class Meta:
        model = Opportunity
        fields = (
            "name",
            "account",
            "contact",
            "owner",
            "amount",
            "currency",
            "forecast_close_date",
            "probability",
            "source",
            "description",
            "external_id",
        )
        widgets = {
            "forecast_close_date": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "account", Account.objects.only("id", "name").order_by("name"))
        _limit(
            self,
            "contact",
            Contact.objects.only("id", "first_name", "last_name").order_by(
                "last_name", "first_name"
            ),
        )
        _limit(self, "owner", User.objects.filter(is_active=True).order_by("first_name"))
        if not self.instance.pk:
            for name in ("probability", "currency"):
                if name in self.fields:
                    # Left empty, the service takes the stage's probability and EUR.
                    self.fields[name].required = False
            if "probability" in self.fields:
                self.fields[
                    "probability"
                ].help_text = (
                    "Leave empty to take the first stage's probability; you may adjust it."
                )


class MoveForm(forms.Form):
    """Move a deal to another stage, filling what the stage requires in the same step."""

    stage = forms.ModelChoiceField(queryset=Stage.objects.none(), label="Move to")

    def __init__(
        self, *args: Any, opportunity: Opportunity, fill: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # rapport.web.records.prepare_form reads the record from here (picklist values, field
        # security).
        self.instance = opportunity
        stage_field = self.fields["stage"]
        assert isinstance(stage_field, forms.ModelChoiceField)
        stage_field.queryset = Stage.objects.active().order_by("sort_order", "id")
        # The fields the target stage needs, as the deal's own form fields.
        deal_form = forms.models.modelform_factory(
            Opportunity,
            fields=fill,
            widgets={"forecast_close_date": forms.DateInput(attrs={"type": "date"})},
        )(instance=opportunity)
        for name in fill:
            self.fields[name] = deal_form.fields[name]
            self.fields[name].required = False
            self.initial.setdefault(name, deal_form.initial.get(name))


class StageForm(forms.ModelForm[Stage]):
    required_fields = forms.MultipleChoiceField(
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Fields required to enter",
        help_text="A deal cannot enter the stage (or pass it) while these are empty.",
    )

    class Meta:
        model = Stage
        fields = (
            "name",
            "customer_label",
            "key",
            "kind",
            "probability",
            "description",
            "required_fields",
            "is_active",
        )
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["required_fields"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [
            (
                name,
                str(getattr(Opportunity._meta.get_field(name), "verbose_name", name)).capitalize(),
            )
            for name in requirable_fields()
        ]


class MethodologyStepForm(forms.ModelForm[MethodologyStep]):
    class Meta:
        model = MethodologyStep
        fields = ("stage", "name", "description", "due_in_days", "is_required", "is_active")
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _limit(self, "stage", Stage.objects.open().order_by("sort_order", "id"))
