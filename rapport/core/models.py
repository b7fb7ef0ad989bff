"""The base every Rapport record stands on, and the progress of background tasks."""

from __future__ import annotations

from django.conf import settings
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
