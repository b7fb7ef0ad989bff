"""Who works here: users, roles, teams, offices, the manager hierarchy, sessions and API tokens."""

from __future__ import annotations

import hashlib
import secrets
import zoneinfo
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from rapport.core.models import BaseModel, SoftDeleteModel, TimeStampedModel

if TYPE_CHECKING:
    from collections.abc import Iterable

TIMEZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones())]


class Role(SoftDeleteModel, BaseModel):
    """A job role; later issues hang permissions, KPIs and alert scopes on it."""

    class Key(models.TextChoices):
        SALES_REP = "sales_rep", _("Sales Rep")
        SALES_MANAGER = "sales_manager", _("Sales Manager")
        SERVICE_AGENT = "service_agent", _("Service Agent")
        SERVICE_MANAGER = "service_manager", _("Service Manager")
        MARKETING = "marketing", _("Marketing")
        EXECUTIVE = "executive", _("Executive")
        ADMINISTRATOR = "administrator", _("Administrator")
        READ_ONLY = "read_only", _("Read-only")
        DATA_STEWARD = "data_steward", _("Data Steward")

    key = models.SlugField(
        _("key"),
        max_length=50,
        unique=True,
        help_text=_("A stable identifier used by rules and integrations; never shown to users."),
    )
    name = models.CharField(
        _("name"), max_length=100, unique=True, help_text=_("The role's name as people see it.")
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("What people in this role do.")
    )
    is_admin = models.BooleanField(
        _("administers Rapport"),
        default=False,
        help_text=_("People in this role can manage users, roles, teams, offices and settings."),
    )
    is_manager = models.BooleanField(
        _("manages people"),
        default=False,
        help_text=_("People in this role lead others: they see team views and exception inboxes."),
    )
    is_read_only = models.BooleanField(
        _("read-only"),
        default=False,
        help_text=_("People in this role can look but never change records."),
    )
    sort_order = models.PositiveSmallIntegerField(
        _("order"), default=0, help_text=_("Position in lists.")
    )

    class Meta:
        ordering = ("sort_order", "name")
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        return self.name


class Office(SoftDeleteModel, BaseModel):
    """A place people work from; its country is the default region for phone numbers."""

    name = models.CharField(
        _("name"), max_length=100, unique=True, help_text=_("The office's name.")
    )
    city = models.CharField(
        _("city"), max_length=100, blank=True, help_text=_("The city it is in.")
    )
    country = CountryField(_("country"), help_text=_("The country it is in (ISO 3166)."))
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        choices=TIMEZONE_CHOICES,
        default="UTC",
        help_text=_("The local time zone: 'my day' and reports use it for people in this office."),
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Closed offices are kept for history.")
    )

    class Meta:
        ordering = ("name",)
        verbose_name = _("office")
        verbose_name_plural = _("offices")

    def __str__(self) -> str:
        return self.name


class Team(SoftDeleteModel, BaseModel):
    """A group of people who share goals and a manager."""

    name = models.CharField(_("name"), max_length=100, unique=True, help_text=_("The team's name."))
    description = models.TextField(
        _("description"), blank=True, help_text=_("What the team works on.")
    )
    office = models.ForeignKey(
        Office,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="teams",
        verbose_name=_("office"),
        help_text=_("The office the team mostly works from."),
    )
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_teams",
        verbose_name=_("team lead"),
        help_text=_("The manager responsible for the team."),
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Disbanded teams are kept for history.")
    )

    class Meta:
        ordering = ("name",)
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    """Users are found by e-mail; they are never deleted, only deactivated."""

    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("Every user needs an e-mail address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        if extra.get("role") is None and extra.get("role_id") is None:
            extra["role"] = Role.objects.filter(key=Role.Key.ADMINISTRATOR).first()
        return self._create_user(email, password, **extra)

    def active(self) -> models.QuerySet[User]:
        """Users who can sign in."""
        return self.filter(is_active=True)


class User(AbstractBaseUser, PermissionsMixin, BaseModel):
    """A person who signs in to Rapport."""

    class Grade(models.IntegerChoices):
        TRAINEE = 1, _("Trainee")
        ASSOCIATE = 2, _("Associate")
        PROFESSIONAL = 3, _("Professional")
        SENIOR = 4, _("Senior")
        LEAD = 5, _("Lead")
        PRINCIPAL = 6, _("Principal")
        DIRECTOR = 7, _("Director")
        VICE_PRESIDENT = 8, _("Vice President")
        EXECUTIVE = 9, _("Executive")

    email = models.EmailField(
        _("e-mail"), unique=True, help_text=_("Used to sign in and for notifications.")
    )
    first_name = models.CharField(_("first name"), max_length=100, help_text=_("Given name."))
    last_name = models.CharField(_("last name"), max_length=100, help_text=_("Family name."))
    title = models.CharField(
        _("job title"), max_length=150, blank=True, help_text=_("Job title as printed on a card.")
    )
    phone = models.CharField(
        _("phone"), max_length=32, blank=True, help_text=_("Work phone, international format.")
    )
    role = models.ForeignKey(
        Role,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("role"),
        help_text=_("The job role; it decides navigation and, later, permissions."),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("team"),
        help_text=_("The team the person belongs to."),
    )
    office = models.ForeignKey(
        Office,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("office"),
        help_text=_("The office the person works from."),
    )
    location = models.CharField(
        _("location"),
        max_length=100,
        blank=True,
        help_text=_(
            "Where the person actually works when it differs from the office (e.g. home city)."
        ),
    )
    grade = models.PositiveSmallIntegerField(
        _("grade"),
        choices=Grade.choices,
        null=True,
        blank=True,
        help_text=_("Seniority grade, used to compare like with like in reports."),
    )
    manager = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("manager"),
        help_text=_("The person this user reports to."),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Inactive people cannot sign in; their records and history stay."),
    )
    is_staff = models.BooleanField(
        _("staff"),
        default=False,
        help_text=_("Technical flag kept for Django; Rapport uses roles."),
    )
    deactivated_at = models.DateTimeField(
        _("deactivated at"),
        null=True,
        blank=True,
        help_text=_("When the person was deactivated."),
    )

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        ordering = ("last_name", "first_name", "id")
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()
        if self.pk and self.manager_id == self.pk:
            raise ValidationError({"manager": _("A person cannot be their own manager.")})
        if self.pk and self.manager_id is not None:
            ancestors = manager_chain(self.manager_id)
            if self.pk in ancestors:
                raise ValidationError(
                    {"manager": _("This manager reports to this person: the hierarchy would loop.")}
                )

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email

    @property
    def initials(self) -> str:
        return ((self.first_name[:1] + self.last_name[:1]) or self.email[:1]).upper()

    @property
    def is_administrator(self) -> bool:
        """Whether the person may manage users, roles, teams, offices and settings."""
        return bool(self.is_superuser or (self.role is not None and self.role.is_admin))


def manager_chain(user_id: int) -> list[int]:
    """The ids of a user and everyone above them, nearest first (stops at a loop)."""
    chain: list[int] = []
    current: int | None = user_id
    while current is not None and current not in chain:
        chain.append(current)
        current = User.objects.filter(pk=current).values_list("manager_id", flat=True).first()
    return chain


def subordinate_ids(user_ids: Iterable[int]) -> set[int]:
    """Everyone below the given users in the manager hierarchy: one query per level."""
    found: set[int] = set()
    frontier = set(user_ids)
    while frontier:
        frontier = (
            set(User.objects.filter(manager_id__in=frontier).values_list("id", flat=True)) - found
        )
        found |= frontier
    return found


class UserSession(models.Model):
    """A signed-in browser session, so deactivation and password changes can end it."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("user")
    )
    session_key = models.CharField(_("session key"), max_length=40, unique=True)
    created_at = models.DateTimeField(_("signed in at"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last seen at"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=255, blank=True)

    class Meta:
        ordering = ("-last_seen_at",)
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return f"{self.user} since {self.created_at:%Y-%m-%d %H:%M}"


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self) -> ApiTokenQuerySet:
        """Tokens that are neither revoked nor expired, of active users."""
        now = timezone.now()
        return self.filter(revoked_at__isnull=True, user__is_active=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


class ApiToken(TimeStampedModel):
    """A personal API token. Only a SHA-256 digest is stored; the secret is shown once.

    SHA-256 rather than a slow password hash: the secret is 256 random bits, so it cannot be
    guessed from its digest, and every API request checks it.
    """

    PREFIX = "rpt_"

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("What the token is for, e.g. 'ERP sync'.")
    )
    key_prefix = models.CharField(
        _("prefix"),
        max_length=16,
        db_index=True,
        help_text=_("The first characters of the token, to tell tokens apart."),
    )
    key_digest = models.CharField(_("digest"), max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(
        _("expires at"), null=True, blank=True, help_text=_("Empty: never expires.")
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at",)
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @staticmethod
    def digest(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    @classmethod
    def generate_secret(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @property
    def is_usable(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= timezone.now():
            return "expired"
        return "active"


def _validate_record_type(value: str) -> None:
    from rapport.core import records

    try:
        records.get(value)
    except KeyError:
        raise ValidationError(
            _("%(value)s is not a record type Rapport knows."), params={"value": value}
        ) from None


class RolePermission(TimeStampedModel):
    """What one role may do with one record type, and which of its records the role sees.

    A role without a row for a record type has no access to it at all; rapport.access.permissions
    is the only reader.
    """

    class Scope(models.TextChoices):
        OWN = "own", _("Own records")
        TEAM = "team", _("Own team's records")
        SUBORDINATES = "subordinates", _("Own and reports' records (manager hierarchy)")
        ALL = "all", _("All records")

    role = models.ForeignKey(
        Role,
        on_delete=models.CASCADE,
        related_name="permissions",
        verbose_name=_("role"),
        help_text=_("The role these rights belong to."),
    )
    record_type = models.CharField(
        _("record type"),
        max_length=50,
        validators=[_validate_record_type],
        help_text=_("The kind of record, e.g. 'team' (a key of the record type registry)."),
    )
    can_create = models.BooleanField(
        _("create"), default=False, help_text=_("People in the role may add records of this type.")
    )
    can_read = models.BooleanField(
        _("read"),
        default=False,
        help_text=_("People in the role may list and open records of this type (within scope)."),
    )
    can_edit = models.BooleanField(
        _("edit"),
        default=False,
        help_text=_("People in the role may change records of this type (within scope)."),
    )
    can_delete = models.BooleanField(
        _("delete"),
        default=False,
        help_text=_("People in the role may delete records of this type (within scope)."),
    )
    scope = models.CharField(
        _("visibility"),
        max_length=20,
        choices=Scope.choices,
        default=Scope.OWN,
        help_text=_(
            "Which records of this type the role sees: its own, its team's, its own and its "
            "reports' down the manager hierarchy, or all."
        ),
    )

    class Meta:
        ordering = ("role__sort_order", "role__name", "record_type")
        verbose_name = _("role permission")
        verbose_name_plural = _("role permissions")
        constraints = [
            models.UniqueConstraint(
                fields=("role", "record_type"), name="access_rolepermission_unique_type"
            )
        ]

    def __str__(self) -> str:
        return f"{self.role_id}:{self.record_type}"


class FieldPermission(TimeStampedModel):
    """A field one role may not see (hidden) or not change (read-only) on one record type."""

    class Access(models.TextChoices):
        HIDDEN = "hidden", _("Hidden")
        READ_ONLY = "read_only", _("Read-only")

    role = models.ForeignKey(
        Role,
        on_delete=models.CASCADE,
        related_name="field_permissions",
        verbose_name=_("role"),
        help_text=_("The role the rule applies to."),
    )
    record_type = models.CharField(
        _("record type"),
        max_length=50,
        validators=[_validate_record_type],
        help_text=_("The kind of record the field belongs to, e.g. 'user'."),
    )
    field_name = models.CharField(
        _("field"),
        max_length=100,
        help_text=_("The secured field the rule applies to, e.g. 'phone'."),
    )
    access = models.CharField(
        _("access"),
        max_length=20,
        choices=Access.choices,
        help_text=_(
            "Hidden: never shown to the role anywhere (pages, API, export, search, history). "
            "Read-only: shown but not changeable by the role."
        ),
    )

    class Meta:
        ordering = ("role__sort_order", "record_type", "field_name")
        verbose_name = _("field permission")
        verbose_name_plural = _("field permissions")
        constraints = [
            models.UniqueConstraint(
                fields=("role", "record_type", "field_name"),
                name="access_fieldpermission_unique_field",
            )
        ]

    def __str__(self) -> str:
        return f"{self.role_id}:{self.record_type}.{self.field_name}={self.access}"

    def clean(self) -> None:
        super().clean()
        from rapport.core import records

        try:
            secured = records.get(self.record_type).secured_fields
        except KeyError:
            return  # the record_type validator reports it
        if self.field_name not in secured:
            raise ValidationError(
                {
                    "field_name": _("%(field)s is not a secured field of %(type)s.")
                    % {"field": self.field_name, "type": self.record_type}
                }
            )
