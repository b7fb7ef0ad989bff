"""What the API shows of users, roles, teams, offices and API tokens, and what it accepts.

Serializers validate and shape data only: the viewsets hand validated data to the services in
rapport.access.services, so the API writes exactly like the web pages do. Record serializers
leave out the fields hidden from the caller's role and refuse writes to hidden or read-only ones
(SecuredSerializerMixin, deciding through rapport.access.permissions).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django_countries.serializers import CountryFieldMixin
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from rapport.access.api.policy import SecuredSerializerMixin
from rapport.access.models import (
    ApiToken,
    FieldPermission,
    Office,
    Role,
    RolePermission,
    Team,
    User,
)
from rapport.core import records

TIMESTAMPS = ("created_at", "updated_at")


def _blank_to_none(value: str | None) -> str | None:
    """An empty external id means "none": two records with "" would clash on the unique index."""
    return value or None


class RoleSerializer(SecuredSerializerMixin, serializers.ModelSerializer[Role]):
    record_type = "role"
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
        # Field rules may hide these (rapport.access.apps registers the secured fields).
        optional_in_response = ("description", "external_id")

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


class OfficeSerializer(
    SecuredSerializerMixin, CountryFieldMixin, serializers.ModelSerializer[Office]
):
    record_type = "office"

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
        # Field rules may hide these (rapport.access.apps registers the secured fields).
        optional_in_response = ("city", "timezone", "external_id")

    def validate_external_id(self, value: str | None) -> str | None:
        return _blank_to_none(value)


class TeamSerializer(SecuredSerializerMixin, serializers.ModelSerializer[Team]):
    record_type = "team"
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
        # Field rules may hide these (rapport.access.apps registers the secured fields).
        optional_in_response = ("description", "external_id")

    def validate_external_id(self, value: str | None) -> str | None:
        return _blank_to_none(value)


class UserSerializer(SecuredSerializerMixin, serializers.ModelSerializer[User]):
    """A person: administrators also see `Meta.admin_only`; others get the directory."""

    record_type = "user"

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
        # Read by rapport.api.schema: the directory leaves these out for non-administrators, and
        # field rules may hide any secured field (rapport.access.apps registers them).
        optional_in_response = (*admin_only, "email", "title", "phone", "location", "grade")

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


class RolePermissionSerializer(serializers.ModelSerializer[RolePermission]):
    """One cell of the permission matrix: a role's rights on one record type."""

    role = serializers.PrimaryKeyRelatedField(
        queryset=Role.objects.all(), help_text="The id of the role."
    )
    record_type = serializers.ChoiceField(
        choices=[],
        help_text="The record type's key, e.g. `team`.",
    )

    class Meta:
        model = RolePermission
        fields = (
            "id",
            "role",
            "record_type",
            "can_create",
            "can_read",
            "can_edit",
            "can_delete",
            "scope",
            *TIMESTAMPS,
        )
        read_only_fields = TIMESTAMPS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Read at request time: apps register their record types at start-up.
        self.fields["record_type"].choices = [t.key for t in records.all_types()]  # type: ignore[attr-defined]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None:
            for name in ("role", "record_type"):
                if name in attrs and attrs[name] != getattr(self.instance, name):
                    raise serializers.ValidationError(
                        {name: ["A rule keeps its role and record type; change another rule."]}
                    )
        return attrs


class FieldPermissionSerializer(serializers.ModelSerializer[FieldPermission]):
    """A field hidden from a role, or read-only for it, on one record type."""

    role = serializers.PrimaryKeyRelatedField(
        queryset=Role.objects.all(), help_text="The id of the role."
    )
    record_type = serializers.ChoiceField(choices=[], help_text="The record type's key.")

    class Meta:
        model = FieldPermission
        fields = ("id", "role", "record_type", "field_name", "access", *TIMESTAMPS)
        read_only_fields = TIMESTAMPS
        validators: list[Any] = []  # the service upserts by (role, record type, field)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["record_type"].choices = [t.key for t in records.all_types()]  # type: ignore[attr-defined]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        secured = records.get(attrs["record_type"]).secured_fields
        if attrs["field_name"] not in secured:
            raise serializers.ValidationError(
                {
                    "field_name": [
                        f"Not a secured field of {attrs['record_type']}: "
                        f"choose one of {', '.join(secured) or 'none'}."
                    ]
                }
            )
        return attrs
