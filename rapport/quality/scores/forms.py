"""The turnover wizard's plan form: a rule per kind of record, or one rule for all."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from rapport.access.models import User
from rapport.quality.scores import turnover


class LeaverForm(forms.Form):
    user = forms.ModelChoiceField(
        queryset=User.objects.order_by("-is_active", "last_name", "first_name"),
        label="Who is leaving",
        help_text="Deactivated already, or about to be.",
    )


class PlanForm(forms.Form):
    """One rule and successor per kind of record; "all" overrides the kinds when set."""

    def __init__(self, *args: Any, leaver: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.leaver = leaver
        people = User.objects.active().exclude(pk=leaver.pk).order_by("last_name", "first_name")
        choices = list(turnover.RULES.items())
        self.fields["all_rule"] = forms.ChoiceField(
            choices=[("", "Choose per kind below"), *choices],
            required=False,
            label="Everything",
        )
        self.fields["all_successor"] = forms.ModelChoiceField(
            queryset=people, required=False, label="Successor (or fallback for the office rule)"
        )
        for key, label in turnover.TURNOVER_TYPES.items():
            self.fields[f"{key}_rule"] = forms.ChoiceField(
                choices=choices, initial=turnover.RULE_KEEP, label=label
            )
            self.fields[f"{key}_successor"] = forms.ModelChoiceField(
                queryset=people, required=False, label=f"{label}: successor"
            )

    def kind_fields(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [
            (label, self[f"{key}_rule"], self[f"{key}_successor"])
            for key, label in turnover.TURNOVER_TYPES.items()
        ]

    def plan(self) -> turnover.TurnoverPlan:
        data = self.cleaned_data
        if data.get("all_rule"):
            return turnover.TurnoverPlan.for_all(
                turnover.Rule(data["all_rule"], data.get("all_successor"))
            )
        return turnover.TurnoverPlan(
            {
                key: turnover.Rule(data[f"{key}_rule"], data.get(f"{key}_successor"))
                for key in turnover.TURNOVER_TYPES
            }
        )

    def apply_error(self, error: ValidationError) -> None:
        """Show a service's refusal on the form (the successor field, or the whole form)."""
        for field, messages in error.message_dict.items():
            target = "all_successor" if field == "successor" else None
            for message in messages:
                self.add_error(target, message)
