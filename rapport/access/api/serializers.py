"""What the API shows of users, roles, teams, offices and API tokens, and what it accepts.

Serializers validate and shape data only: the viewsets hand validated data to the services in
rapport.access.services, so the API writes exactly like the web pages do.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django_countries.serializers import CountryFieldMixin
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from rapport.access.models import ApiToken, Office, Role, Team, User

TIMESTAMPS = ("created_at", "updated_at")


def _blank_to_none(value: str | None) -> str | None:
    """An empty external id means "none": two records with "" would clash on the unique index."""
    return value or None


class RoleSerializer(serializers.ModelSerializer[Role]):
    user_count = serializers.IntegerField(
        read_only=True, help_text="How many active people have the role."
    )

    class Meta:
        model = Role
        fields = (
            "id",
            "key",
            "name",
            "description",
            "is_admin",
            "is_manager",
            "is_read_only",
            "sort_order",
            "user_count",
            "external_id",
            *TIMESTAMPS,
        )

    def validate_external_id(self, value: str | None) -> str | None:
        return _blank_to_none(value)

    def validate_key(self, value: str) -> str:
        # Rules and integrations refer to the built-in roles by key.
        if (
            self.instance is not None
            and self.instance.key in Role.Key.values
            and value != self.instance.key
        ):
            raise serializers.ValidationError("The key of a built-in role cannot change.")
        return value


class OfficeSerializer(CountryFieldMixin, serializers.ModelSerializer[Office]):
    class Meta:
        model = Office
        fields = (
            "id",
            "name",
            "city",
            "country",
            "timezone",
            "is_active",
            "external_id",
            *TIMESTAMPS,
        )

    def validate_external_id(self, value: str | None) -> str | None:
        return _blank_to_none(value)


class TeamSerializer(serializers.ModelSerializer[Team]):
    office = serializers.PrimaryKeyRelatedField(
        queryset=Office.objects.all(),
        allow_null=True,
        required=False,
        help_text="The id of the office the team mostly works from.",
    )
    lead = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True),
        allow_null=True,
        required=False,
        help_text="The id of the (active) person responsible for the team.",
    )
    member_count = serializers.IntegerField(
        read_only=True, help_text="How many active people are in the team."
    )

    class Meta:
        model = Team
        fields = (
            "id",
            "name",
            "description",
            "office",
            "lead",
            "is_active",
            "member_count",
            "external_id",
            *TIMESTAMPS,
        )

    def validate_external_id(self, value: str | None) -> str | None:
        return _blank_to_none(value)


class UserSerializer(serializers.ModelSerializer[User]):
    """A person: administrators also see `Meta.admin_only`; others get the directory."""

    full_name = serializers.SerializerMethodField(help_text="First and last name together.")
    role = serializers.PrimaryKeyRelatedField(
        queryset=Role.objects.all(),
        allow_null=True,
        required=False,
        help_text="The id of the role.",
    )
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(),
        allow_null=True,
        required=False,
        help_text="The id of the team.",
    )
    office = serializers.PrimaryKeyRelatedField(
        queryset=Office.objects.all(),
        allow_null=True,
        required=False,
        help_text="The id of the office.",
    )
    manager = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(),
        allow_null=True,
        required=False,
        help_text="The id of the person this user reports to.",
    )
    password = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=False,
        max_length=128,
        trim_whitespace=False,
        style={"input_type": "password"},
        help_text="Only when creating: without one, the person sets a password before signing in.",
    )

    class Meta:
        model = User
        fields = (
            "id",
            "email",
            "first_name",
            "last_name",
            "full_name",
            "title",
            "phone",
            "role",
            "team",
            "office",
            "location",
            "grade",
            "manager",
            "is_active",
            "password",
            "external_id",
            "last_login",
            "deactivated_at",
            *TIMESTAMPS,
        )
        read_only_fields = ("is_active", "last_login", "deactivated_at")
        admin_only = ("external_id", "last_login", "deactivated_at", *TIMESTAMPS)
        # Read by rapport.api.schema: the directory leaves these out for non-administrators.
        optional_in_response = admin_only

    @extend_schema_field(serializers.CharField())
    def get_full_name(self, obj: User) -> str:
        return obj.get_full_name()

    def validate_external_id(self, value: str | None) -> str | None:
        return _blank_to_none(value)

    def validate_email(self, value: str) -> str:
        email = User.objects.normalize_email(value).lower()
        clash = User.objects.filter(email=email)
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise serializers.ValidationError("Someone already signs in with this e-mail.")
        return email

    def validate_password(self, value: str) -> str:
        if self.instance is not None:
            raise serializers.ValidationError(
                "Passwords are changed by their owner, not through this API."
            )
        try:
            validate_password(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(list(exc.messages)) from None
        return value

    def to_representation(self, instance: User) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        if not self.context.get("show_admin_fields", False):
            for name in self.Meta.admin_only:
                data.pop(name, None)
        return data


class ApiTokenSerializer(serializers.ModelSerializer[ApiToken]):
    status = serializers.ChoiceField(
        choices=["active", "revoked", "expired"],
        read_only=True,
        help_text="active, revoked or expired.",
    )

    class Meta:
        model = ApiToken
        fields: tuple[str, ...] = (
            "id",
            "name",
            "key_prefix",
            "status",
            "expires_at",
            "revoked_at",
            "last_used_at",
            "created_at",
        )
        read_only_fields: tuple[str, ...] = fields


class ApiTokenCreateSerializer(serializers.Serializer[ApiToken]):
    name = serializers.CharField(
        max_length=100, help_text="What the token is for, e.g. 'ERP sync'."
    )
    expires_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text="When the token stops working; empty: never."
    )

    def validate_name(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError("Give the token a name that says what it is for.")
        return value.strip()

    def validate_expires_at(self, value: Any) -> Any:
        if value is not None and value <= timezone.now():
            raise serializers.ValidationError("The expiry date must be in the future.")
        return value


class NewApiTokenSerializer(ApiTokenSerializer):
    secret = serializers.CharField(
        read_only=True,
        help_text="The token itself. Shown this once and never again: store it now.",
    )

    class Meta(ApiTokenSerializer.Meta):
        fields = (*ApiTokenSerializer.Meta.fields, "secret")
        read_only_fields = fields
