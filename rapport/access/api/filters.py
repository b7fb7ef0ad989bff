"""Field filters for the organisation collections (every list offers them in the URL)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from rapport.access.models import ApiToken, Office, Role, Team, User
from rapport.api.filters import MAX_ID, IdFilter

EXTERNAL_ID_HELP = "The record whose key in another system is exactly this."


class UserFilter(django_filters.FilterSet):
    role = django_filters.CharFilter(
        method="filter_role", help_text="A role's id or key, e.g. `sales_rep`."
    )
    team = IdFilter(field_name="team_id", help_text="A team's id.")
    office = IdFilter(field_name="office_id", help_text="An office's id.")
    manager = IdFilter(field_name="manager_id", help_text="The id of the person they report to.")
    is_active = django_filters.BooleanFilter(help_text="true: can sign in; false: deactivated.")
    grade = django_filters.TypedChoiceFilter(
        choices=User.Grade.choices,
        coerce=int,
        help_text="A grade number (1 trainee … 9 executive).",
    )
    external_id = django_filters.CharFilter(help_text=EXTERNAL_ID_HELP)

    class Meta:
        model = User
        fields = ("role", "team", "office", "manager", "is_active", "grade", "external_id")

    def filter_role(self, queryset: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        if value.isdigit() and int(value) <= MAX_ID:
            return queryset.filter(Q(role__key=value) | Q(role_id=int(value)))
        return queryset.filter(role__key=value)


class RoleFilter(django_filters.FilterSet):
    key = django_filters.CharFilter(help_text="The role's key, e.g. `sales_rep`.")
    is_admin = django_filters.BooleanFilter(help_text="Roles that administer Rapport.")
    is_manager = django_filters.BooleanFilter(help_text="Roles that manage people.")
    is_read_only = django_filters.BooleanFilter(help_text="Roles that can look but never change.")
    external_id = django_filters.CharFilter(help_text=EXTERNAL_ID_HELP)

    class Meta:
        model = Role
        fields = ("key", "is_admin", "is_manager", "is_read_only", "external_id")


class TeamFilter(django_filters.FilterSet):
    office = IdFilter(field_name="office_id", help_text="An office's id.")
    lead = IdFilter(field_name="lead_id", help_text="The team lead's id.")
    is_active = django_filters.BooleanFilter(help_text="true: working teams; false: disbanded.")
    external_id = django_filters.CharFilter(help_text=EXTERNAL_ID_HELP)

    class Meta:
        model = Team
        fields = ("office", "lead", "is_active", "external_id")


class OfficeFilter(django_filters.FilterSet):
    country = django_filters.CharFilter(
        method="filter_country", help_text="An ISO 3166 country code, e.g. `DE`."
    )
    is_active = django_filters.BooleanFilter(help_text="true: open offices; false: closed.")
    external_id = django_filters.CharFilter(help_text=EXTERNAL_ID_HELP)

    class Meta:
        model = Office
        fields = ("country", "is_active", "external_id")

    def filter_country(self, queryset: QuerySet[Office], name: str, value: str) -> QuerySet[Office]:
        return queryset.filter(country=value.upper())


class ApiTokenFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=[("active", "active"), ("revoked", "revoked"), ("expired", "expired")],
        method="filter_status",
        help_text="active, revoked or expired.",
    )

    class Meta:
        model = ApiToken
        fields = ("status",)

    @extend_schema_field(OpenApiTypes.STR)
    def filter_status(
        self, queryset: QuerySet[ApiToken], name: str, value: Any
    ) -> QuerySet[ApiToken]:
        now = timezone.now()
        if value == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        if value == "expired":
            return queryset.filter(revoked_at__isnull=True, expires_at__lte=now)
        return queryset.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )
