"""Activities: calls, meetings, emails, tasks and notes, on accounts, contacts, leads and
opportunities. They make up the timeline of every record."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rapport.core.models import BaseModel, SoftDeleteModel
from rapport.core.picklists import PicklistField


class Activity(SoftDeleteModel, BaseModel):
    """Something someone did or has to do, linked to the records it concerns.

    The links are plain foreign keys rather than a generic relation: the timeline of an account
    or a lead is then one indexed query, and the database keeps the links honest.
    """

    class Kind(models.TextChoices):
        CALL = "call", _("Call")
        MEETING = "meeting", _("Meeting")
        EMAIL = "email", _("Email")
        TASK = "task", _("Task")
        NOTE = "note", _("Note")

    class Direction(models.TextChoices):
        OUTBOUND = "outbound", _("Outbound")
        INBOUND = "inbound", _("Inbound")

    kind = models.CharField(
        _("kind"), max_length=16, choices=Kind.choices, help_text=_("What sort of activity.")
    )
    subject = models.CharField(
        _("subject"), max_length=255, help_text=_("One line saying what it was about.")
    )
    notes = models.TextField(_("notes"), blank=True, help_text=_("What was said, done or agreed."))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("owner"),
        help_text=_("Who did it, or has to do it."),
    )
    occurred_at = models.DateTimeField(
        _("when"),
        default=timezone.now,
        db_index=True,
        help_text=_("When it happened (calls, e-mails, notes) or starts (meetings)."),
    )
    ends_at = models.DateTimeField(
        _("ends at"), null=True, blank=True, help_text=_("When a meeting ends.")
    )
    due_date = models.DateField(
        _("due date"), null=True, blank=True, help_text=_("When a task must be done.")
    )
    completed_at = models.DateTimeField(
        _("completed at"), null=True, blank=True, help_text=_("When a task was done.")
    )
    direction = models.CharField(
        _("direction"),
        max_length=8,
        choices=Direction.choices,
        blank=True,
        help_text=_("Whether we called or wrote, or they did."),
    )
    call_outcome = PicklistField(
        "call_outcome",
        null=True,
        blank=True,
        verbose_name=_("call outcome"),
        help_text=_("What came of a call (connected, voicemail, …)."),
    )
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"),
        null=True,
        blank=True,
        help_text=_("How long a call or meeting took."),
    )
    account = models.ForeignKey(
        "customers.Account",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("account"),
        help_text=_("The company it concerns."),
    )
    contact = models.ForeignKey(
        "customers.Contact",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("contact"),
        help_text=_("The person it concerns."),
    )
    lead = models.ForeignKey(
        "leads.Lead",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("lead"),
        help_text=_("The lead it concerns."),
    )
    opportunity = models.ForeignKey(
        "pipeline.Opportunity",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("opportunity"),
        help_text=_("The deal it concerns."),
    )
    opportunity_step = models.ForeignKey(
        "pipeline.OpportunityStep",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("methodology step"),
        help_text=_("The methodology step this task prompts."),
    )

    class Meta:
        ordering = ("-occurred_at", "-id")
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [
            models.Index(fields=["account", "occurred_at"], name="activities_account_idx"),
            models.Index(fields=["contact", "occurred_at"], name="activities_contact_idx"),
            models.Index(fields=["lead", "occurred_at"], name="activities_lead_idx"),
            models.Index(fields=["opportunity", "occurred_at"], name="activities_opp_idx"),
            models.Index(fields=["owner", "kind", "due_date"], name="activities_owner_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"

    @property
    def is_open_task(self) -> bool:
        return self.kind == self.Kind.TASK and self.completed_at is None
