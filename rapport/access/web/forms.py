"""Forms of the account and administration pages. Validation is the model's; writes are services'.

A ModelForm copies its cleaned data onto its instance while validating, so the services are
handed a fresh copy from the database: they compare old and new values to write only what changed.
The views remove fields hidden from the role (so only the fields still on a form are saved) and
disable read-only ones (Django keeps the record's value for those).
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from rapport.access.models import Office, Role, Team, User
from rapport.access.services import (
    office_create,
    office_update,
    profile_update,
    role_create,
    role_update,
    team_create,
    team_update,
    user_create,
    user_update,
)


def _people_choices(*, keep_id: int | None = None) -> Any:
    """Active people, plus the one currently chosen (`keep_id`) even if since deactivated."""
    keep = Q(pk=keep_id) if keep_id is not None else Q(pk__in=[])
    return User.objects.filter(Q(is_active=True) | keep).only(
        "id", "first_name", "last_name", "email"
    )


class ProfileForm(forms.ModelForm[User]):
    class Meta:
        model = User
        fields = ("first_name", "last_name", "title", "phone", "location")

    def save_as(self, *, acting_user: User) -> User:
        fresh = User.objects.get(pk=acting_user.pk)
        return profile_update(
            acting_user=fresh,
            **{f: self.cleaned_data[f] for f in self.Meta.fields if f in self.fields},
        )


class UserForm(forms.ModelForm[User]):
    """Create or edit a person; on create an optional first password."""

    password = forms.CharField(
        label="First password",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=(
            "Optional. Share it privately; they can change it on their profile page. "
            "Without one they cannot sign in until an administrator sets it."
        ),
    )

    class Meta:
        model = User
        fields = (
            "first_name",
            "last_name",
            "email",
            "title",
            "phone",
            "role",
            "team",
            "office",
            "location",
            "grade",
            "manager",
            "external_id",
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = Role.objects.all()  # type: ignore[attr-defined]
        # Keep the current team, office and manager selectable even when they were closed,
        # deleted or deactivated since: otherwise saving the form would silently clear them.
        self.fields["team"].queryset = Team.all_objects.filter(  # type: ignore[attr-defined]
            Q(is_active=True, deleted_at__isnull=True) | Q(pk=self.instance.team_id)
        )
        self.fields["office"].queryset = Office.all_objects.filter(  # type: ignore[attr-defined]
            Q(is_active=True, deleted_at__isnull=True) | Q(pk=self.instance.office_id)
        )
        managers = _people_choices(keep_id=self.instance.manager_id)
        if self.instance.pk:
            managers = managers.exclude(pk=self.instance.pk)
            del self.fields["password"]
        self.fields["manager"].queryset = managers  # type: ignore[attr-defined]
        for name, empty in (
            ("role", "No role"),
            ("team", "No team"),
            ("office", "No office"),
            ("manager", "Nobody"),
        ):
            self.fields[name].empty_label = empty  # type: ignore[attr-defined]

    def clean_password(self) -> str:
        password: str = self.cleaned_data.get("password") or ""
        if password:
            candidate = User(
                email=self.data.get("email", ""),
                first_name=self.data.get("first_name", ""),
                last_name=self.data.get("last_name", ""),
            )
            password_validation.validate_password(password, candidate)
        return password

    def save_as(self, *, acting_user: User) -> User:
        fields = {f: self.cleaned_data[f] for f in self.Meta.fields if f in self.fields}
        if self.instance.pk is None:
            email = fields.pop("email", "")
            return user_create(
                acting_user=acting_user,
                email=email,
                password=self.cleaned_data.get("password") or None,
                **fields,
            )
        return user_update(
            acting_user=acting_user, user=User.objects.get(pk=self.instance.pk), **fields
        )


class RoleForm(forms.ModelForm[Role]):
    class Meta:
        model = Role
        fields = (
            "name",
            "key",
            "description",
            "is_admin",
            "is_manager",
            "is_read_only",
            "sort_order",
        )

    def save_as(self, *, acting_user: User) -> Role:
        fields = {f: self.cleaned_data[f] for f in self.Meta.fields if f in self.fields}
        if self.instance.pk is None:
            return role_create(acting_user=acting_user, **fields)
        return role_update(
            acting_user=acting_user, role=Role.objects.get(pk=self.instance.pk), **fields
        )


class TeamForm(forms.ModelForm[Team]):
    class Meta:
        model = Team
        fields = ("name", "description", "office", "lead", "is_active", "external_id")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = Office.all_objects.filter(  # type: ignore[attr-defined]
            Q(is_active=True, deleted_at__isnull=True) | Q(pk=self.instance.office_id)
        )
        self.fields["lead"].queryset = _people_choices(  # type: ignore[attr-defined]
            keep_id=self.instance.lead_id
        )
        self.fields["office"].empty_label = "No office"  # type: ignore[attr-defined]
        self.fields["lead"].empty_label = "Nobody yet"  # type: ignore[attr-defined]

    def save_as(self, *, acting_user: User) -> Team:
        fields = {f: self.cleaned_data[f] for f in self.Meta.fields if f in self.fields}
        if self.instance.pk is None:
            return team_create(acting_user=acting_user, **fields)
        return team_update(
            acting_user=acting_user, team=Team.objects.get(pk=self.instance.pk), **fields
        )


class OfficeForm(forms.ModelForm[Office]):
    class Meta:
        model = Office
        fields = ("name", "city", "country", "timezone", "is_active", "external_id")

    def save_as(self, *, acting_user: User) -> Office:
        fields = {f: self.cleaned_data[f] for f in self.Meta.fields if f in self.fields}
        if self.instance.pk is None:
            return office_create(acting_user=acting_user, **fields)
        return office_update(
            acting_user=acting_user, office=Office.objects.get(pk=self.instance.pk), **fields
        )


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="What the token is for, e.g. “ERP sync” or “My reporting script”.",
    )
    expires_on = forms.DateField(
        label="Expires on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Optional. The token stops working at the end of this day.",
    )

    def clean_expires_on(self) -> Any:
        expires_on = self.cleaned_data.get("expires_on")
        if expires_on is not None and expires_on < timezone.localdate():
            raise ValidationError("Choose today or a later day.")
        return expires_on

    @property
    def expires_at(self) -> datetime | None:
        """The end of the chosen day, in the server's time zone."""
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))
