"""The base every Rapport record stands on (timestamps, soft delete), the audit trail, and the
progress of background tasks."""

from __future__ import annotations

from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Creation and last-change times, timezone-aware."""

    created_at = models.DateTimeField(
        _("created at"),
        default=timezone.now,
        editable=False,
        db_index=True,
        help_text=_("When the record was created."),
    )
    updated_at = models.DateTimeField(
        _("updated at"), auto_now=True, help_text=_("When the record was last changed.")
    )

    class Meta:
        abstract = True


class BaseModel(TimeStampedModel):
    """Every business record: timestamps and an external id other systems can upsert by."""

    external_id = models.CharField(
        _("external id"),
        max_length=255,
        null=True,
        blank=True,
        unique=True,
        help_text=_("The record's key in another system (ERP, legacy CRM, HR), unique per type."),
    )

    class Meta:
        abstract = True


class TaskProgress(models.Model):
    """How far a background task has come, so long jobs can show a progress bar."""

    task_id = models.CharField(
        _("task id"),
        max_length=64,
        unique=True,
        help_text=_("The id the task backend gave the task when it was enqueued."),
    )
    task_name = models.CharField(_("task"), max_length=255, help_text=_("The task's dotted path."))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
        help_text=_("Who started the task, if anyone."),
    )
    done = models.PositiveBigIntegerField(_("done"), default=0, help_text=_("Units of work done."))
    total = models.PositiveBigIntegerField(
        _("total"), null=True, blank=True, help_text=_("Units of work in all; empty while unknown.")
    )
    message = models.CharField(
        _("message"), max_length=255, blank=True, help_text=_("What it is doing now.")
    )
    created_at = models.DateTimeField(
        _("created at"),
        default=timezone.now,
        editable=False,
        help_text=_("When the task was enqueued or first reported progress."),
    )
    updated_at = models.DateTimeField(
        _("updated at"), auto_now=True, help_text=_("When the task last reported progress.")
    )

    class Meta:
        verbose_name = _("task progress")
        verbose_name_plural = _("task progress")

    def __str__(self) -> str:
        return f"{self.task_name} {self.done}/{self.total or '?'}"

    @property
    def percent(self) -> int | None:
        """Whole percent done, or None while the total is unknown."""
        if not self.total:
            return None
        return min(100, int(self.done * 100 / self.total))


class Heartbeat(models.Model):
    """The last sign of life of a background process, so an administrator can tell it runs."""

    class Source(models.TextChoices):
        SCHEDULER = "scheduler", _("Scheduler")
        WORKER = "worker", _("Task worker")

    source = models.CharField(
        _("source"),
        max_length=32,
        choices=Source.choices,
        unique=True,
        help_text=_("Which background process gave the sign of life."),
    )
    beat_at = models.DateTimeField(
        _("last beat"),
        default=timezone.now,
        help_text=_("When the process last showed it was alive."),
    )
    detail = models.CharField(
        _("detail"),
        max_length=255,
        blank=True,
        help_text=_("What it was doing, e.g. the periodic job the scheduler enqueued."),
    )

    class Meta:
        ordering = ("source",)
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.source} at {self.beat_at:%Y-%m-%d %H:%M:%S}"


_M = TypeVar("_M", bound=models.Model)


class SoftDeleteQuerySet(models.QuerySet[_M]):
    def alive(self) -> SoftDeleteQuerySet[_M]:
        """Records that are not in the recycle bin."""
        return self.filter(deleted_at__isnull=True)

    def deleted(self) -> SoftDeleteQuerySet[_M]:
        """Records in the recycle bin."""
        return self.filter(deleted_at__isnull=False)


class AliveManager(models.Manager[_M]):
    """The default manager of soft-deletable records: the recycle bin stays out of sight."""

    def get_queryset(self) -> SoftDeleteQuerySet[_M]:
        return SoftDeleteQuerySet(self.model, using=self._db).alive()


class SoftDeleteModel(models.Model):
    """A record whose delete moves it to the recycle bin, from which it can be restored.

    `objects` hides deleted records; `all_objects` sees them. Relations are left as they are, so a
    restore brings the record back exactly; related-object access (``user.team``) goes through the
    base manager and still finds a deleted record.
    """

    deleted_at = models.DateTimeField(
        _("deleted at"),
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text=_("When the record was moved to the recycle bin; empty while it is in use."),
    )
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("deleted by"),
        help_text=_("Who moved the record to the recycle bin."),
    )

    objects = AliveManager["SoftDeleteModel"]()
    all_objects = SoftDeleteQuerySet["SoftDeleteModel"].as_manager()

    class Meta:
        abstract = True

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    def _perform_unique_checks(
        self, unique_checks: list[tuple[type[models.Model], tuple[str, ...]]]
    ) -> dict[str, list[ValidationError]]:
        # Django checks uniqueness through the default manager, which hides the recycle bin; a
        # deleted record still holds its unique values in the table, so look there too.
        errors: dict[str, list[ValidationError]] = super()._perform_unique_checks(  # type: ignore[misc]
            unique_checks
        )
        in_bin = type(self).all_objects.deleted()
        if self.pk is not None:
            in_bin = in_bin.exclude(pk=self.pk)
        for model_class, unique_check in unique_checks:
            lookup: dict[str, Any] = {}
            for field_name in unique_check:
                value = getattr(self, model_class._meta.get_field(field_name).attname)  # type: ignore[union-attr]
                if value is None or value == "":
                    break
                lookup[field_name] = value
            else:
                key = unique_check[0] if len(unique_check) == 1 else NON_FIELD_ERRORS
                if key not in errors and in_bin.filter(**lookup).exists():
                    errors.setdefault(key, []).append(
                        ValidationError(
                            _(
                                "A deleted %(type)s in the recycle bin uses this value: restore "
                                "it, or wait until it is purged."
                            ),
                            code="unique_in_recycle_bin",
                            params={"type": self._meta.verbose_name},
                        )
                    )
        return errors


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise ImmutableAuditEntryError("Audit entries cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableAuditEntryError("Audit entries cannot be deleted.")

    def for_record(self, record_type: str, object_id: int) -> AuditEntryQuerySet:
        """The entries of one record, newest first."""
        return self.filter(record_type=record_type, object_id=object_id).order_by("-at", "-id")


class ImmutableAuditEntryError(Exception):
    """Raised on any attempt to change or delete an audit entry."""


class AuditEntry(models.Model):
    """One change to one record: who, when, and old → new for each field that changed.

    Append-only: the model refuses updates and deletes, the API offers no write path, and on
    PostgreSQL a trigger refuses them in the database too.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Changed")
        DELETE = "delete", _("Deleted")
        RESTORE = "restore", _("Restored")
        DEACTIVATE = "deactivate", _("Deactivated")
        REACTIVATE = "reactivate", _("Reactivated")
        PURGE = "purge", _("Purged")

    record_type = models.CharField(
        _("record type"),
        max_length=64,
        help_text=_("The kind of record changed, e.g. 'team' (a key of the record type registry)."),
    )
    object_id = models.BigIntegerField(_("record id"), help_text=_("The id of the record changed."))
    object_repr = models.CharField(
        _("record"),
        max_length=255,
        help_text=_("The record's name when the change was made, kept after it is purged."),
    )
    action = models.CharField(
        _("action"), max_length=16, choices=Action.choices, help_text=_("What happened.")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
        help_text=_("Who made the change; empty for the system (scheduled jobs, migrations)."),
    )
    at = models.DateTimeField(
        _("at"), default=timezone.now, db_index=True, help_text=_("When the change was made.")
    )
    changes = models.JSONField(
        _("changes"),
        default=dict,
        blank=True,
        help_text=_("For each changed field, its old and new value: {field: {old, new}}."),
    )
    request_id = models.CharField(
        _("request id"),
        max_length=64,
        blank=True,
        help_text=_("The id of the request that made the change, to find it in the logs."),
    )
    ip_address = models.GenericIPAddressField(
        _("IP address"),
        null=True,
        blank=True,
        help_text=_("The address the change came from, when it came through a request."),
    )

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ("-at", "-id")
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["record_type", "object_id", "at"], name="core_audit_record_idx"),
            models.Index(fields=["actor", "at"], name="core_audit_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.record_type} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableAuditEntryError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableAuditEntryError("Audit entries cannot be deleted.")


class Picklist(models.Model):
    """A standardized list of values for a categorical field (lead source, industry, …).

    Administrators edit its values; the code refers to the list by its key.
    """

    key = models.SlugField(
        _("key"),
        max_length=64,
        unique=True,
        help_text=_("The stable name the code uses for the list, e.g. 'lead_source'."),
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("The list's name as people read it.")
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("What the list classifies and where it is used."),
    )

    class Meta:
        ordering = ("name",)
        verbose_name = _("picklist")
        verbose_name_plural = _("picklists")

    def __str__(self) -> str:
        return self.name


class PicklistValue(models.Model):
    """One value of a picklist. Retired values stay, so records that use them still read well."""

    class Color(models.TextChoices):
        GRAY = "gray", _("Gray")
        BLUE = "blue", _("Blue")
        GREEN = "green", _("Green")
        AMBER = "amber", _("Amber")
        RED = "red", _("Red")
        PURPLE = "purple", _("Purple")
        TEAL = "teal", _("Teal")

    picklist = models.ForeignKey(
        Picklist,
        on_delete=models.PROTECT,
        related_name="values",
        verbose_name=_("picklist"),
        help_text=_("The list the value belongs to."),
    )
    key = models.SlugField(
        _("key"),
        max_length=64,
        help_text=_("The value's stable name within its list, used by the API and imports."),
    )
    label = models.CharField(
        _("label"), max_length=100, help_text=_("The value as people see it on records.")
    )
    definition = models.TextField(
        _("definition"),
        blank=True,
        help_text=_("When to choose this value; shown as help text beside the field."),
    )
    sort_order = models.PositiveIntegerField(
        _("order"), default=0, help_text=_("Where the value appears in its list; lower first.")
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_(
            "Whether the value can be chosen. A retired value stays on the records that have it."
        ),
    )
    color = models.CharField(
        _("color"),
        max_length=16,
        choices=Color.choices,
        blank=True,
        help_text=_("An optional colour for the value's badge."),
    )

    class Meta:
        ordering = ("picklist", "sort_order", "id")
        verbose_name = _("picklist value")
        verbose_name_plural = _("picklist values")
        constraints = [
            models.UniqueConstraint(
                fields=["picklist", "key"], name="core_picklist_value_key_unique"
            )
        ]

    def __str__(self) -> str:
        return self.label


class SavedView(models.Model):
    """A person's named list view: its filters, sort and columns, to come back to in one click."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_views",
        verbose_name=_("owner"),
        help_text=_("Whose view it is."),
    )
    record_type = models.CharField(
        _("record type"), max_length=64, help_text=_("The list it belongs to, e.g. 'contact'.")
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("e.g. 'My hot leads'."))
    query = models.CharField(
        _("filters and sort"),
        max_length=2000,
        blank=True,
        help_text=_("The list's query string: filters and sort order."),
    )
    columns = models.JSONField(
        _("columns"), default=list, blank=True, help_text=_("The columns shown, in order.")
    )
    is_default = models.BooleanField(
        _("default"), default=False, help_text=_("Opened when the person opens the list.")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ("record_type", "name")
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "record_type", "name"], name="core_savedview_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name
