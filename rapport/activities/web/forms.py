"""Forms of the activity pages: the full form (its fields follow the kind) and the quick call."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Model

from rapport.access import permissions
from rapport.access.models import User
from rapport.activities.models import Activity
from rapport.activities.selectors import active_call_outcomes
from rapport.activities.services import KIND_ONLY_FIELDS, LINK_FIELDS

FORM_FIELDS: tuple[str, ...] = (
    "kind",
    "subject",
    "owner",
    "occurred_at",
    "ends_at",
    "due_date",
    "direction",
    "call_outcome",
    "duration_minutes",
    "notes",
    "account",
    "contact",
    "lead",
    "opportunity",
    "external_id",
)

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def fields_for_kind(kind: str) -> list[str]:
    """The form fields that make sense for a kind of activity."""
    return [
        name
        for name in FORM_FIELDS
        if name not in KIND_ONLY_FIELDS or kind in KIND_ONLY_FIELDS[name]
    ]


class ActivityForm(forms.ModelForm[Activity]):
    """An activity of one kind; the kind is chosen before (links at the top of the page)."""

    class Meta:
        model = Activity
        fields = FORM_FIELDS
        widgets = {
            "kind": forms.HiddenInput(),
            "occurred_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format=DATETIME_FORMAT
            ),
            "ends_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format=DATETIME_FORMAT
            ),
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(
        self, *args: Any, kind: str, user: Any, fixed_links: dict[str, Model], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        wanted = set(fields_for_kind(kind))
        for name in list(self.fields):
            if name not in wanted:
                del self.fields[name]
        self.fields["kind"].initial = kind
        if not self.instance.pk:
            self.instance.kind = kind
        owner = self.fields.get("owner")
        if isinstance(owner, forms.ModelChoiceField):
            owner.queryset = User.objects.filter(is_active=True).order_by("first_name", "last_name")
            owner.required = False
            owner.help_text = "Who did it, or has to do it; empty means you."
        for name in LINK_FIELDS:
            if name in fixed_links and name in self.fields:
                del self.fields[name]  # set by the page the activity is logged from
        if kind == Activity.Kind.TASK:
            self.fields["due_date"].required = True
        if "occurred_at" in self.fields:
            self.fields["occurred_at"].required = False
            self.fields["occurred_at"].help_text = "When it happened; empty means now."


class QuickCallForm(forms.Form):
    """A call logged from a list row or a record's timeline."""

    subject = forms.CharField(max_length=255, label="Subject")
    call_outcome = forms.ModelChoiceField(
        queryset=active_call_outcomes(), required=False, label="Outcome"
    )
    duration_minutes = forms.IntegerField(
        min_value=0, max_value=24 * 60, required=False, label="Minutes"
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Notes")

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        outcome = self.fields["call_outcome"]
        assert isinstance(outcome, forms.ModelChoiceField)
        outcome.queryset = active_call_outcomes()
        outcome.label_from_instance = lambda value: value.label  # type: ignore[method-assign,assignment]
        definitions = [f"{v.label}: {v.definition}" for v in outcome.queryset if v.definition]
        outcome.help_text = " · ".join(definitions)
        policy = permissions.policy_for(user, "activity")
        for name in list(self.fields):
            if name in policy.protected_fields:
                del self.fields[name]

    def values(self) -> dict[str, Any]:
        """The activity's values from the cleaned data (empty optional fields left out)."""
        values: dict[str, Any] = {"kind": Activity.Kind.CALL}
        for name, value in self.cleaned_data.items():
            if value not in (None, ""):
                values[name] = value
        return values
