"""Clean data after the door: the field glossary, flags of wrong data, bounces and contact marks."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class FieldDefinition(models.Model):
    """What one field of a record type means here, who owns its meaning and what it may hold."""

    record_type = models.CharField(
        _("record type"), max_length=64, help_text=_("The record type's key, e.g. 'opportunity'.")
    )
    field_name = models.CharField(
        _("field"), max_length=100, help_text=_("The model field's name, e.g. 'amount'.")
    )
    definition = models.TextField(
        _("definition"), help_text=_("What the field means here, in the words sales people use.")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_field_definitions",
        verbose_name=_("owner"),
        help_text=_("Who decides what the field means and answers questions about it."),
    )
    allowed_values = models.TextField(
        _("allowed values"),
        blank=True,
        help_text=_("What may be entered (picklist fields list their picklist's values instead)."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ("record_type", "field_name")
        verbose_name = _("field definition")
        verbose_name_plural = _("field definitions")
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "field_name"], name="cleaning_fielddef_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.record_type}.{self.field_name}"


class CorrectionRequest(models.Model):
    """Someone says a field's value is wrong and suggests the right one."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    record_type = models.CharField(_("record type"), max_length=64)
    object_id = models.PositiveBigIntegerField(_("record id"))
    field_name = models.CharField(_("field"), max_length=100)
    current_value = models.TextField(
        _("value when flagged"), blank=True, help_text=_("The value the reporter saw.")
    )
    suggested_value = models.TextField(
        _("suggested value"), blank=True, help_text=_("What the reporter says it should be.")
    )
    comment = models.TextField(_("comment"), blank=True, help_text=_("Why it is wrong."))
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="correction_reports",
        verbose_name=_("reporter"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    created_at = models.DateTimeField(_("flagged at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction_decisions",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(
        _("reason"), blank=True, help_text=_("Why it was rejected (or why applying it failed).")
    )

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")
        indexes = [
            models.Index(fields=["record_type", "object_id"], name="cleaning_corr_record_idx"),
            models.Index(fields=["status", "record_type"], name="cleaning_corr_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.record_type} #{self.object_id}: {self.field_name}"


class EmailBounce(models.Model):
    """An e-mail to a contact's or lead's address bounced (recorded by the mail integration)."""

    record_type = models.CharField(_("record type"), max_length=64)
    object_id = models.PositiveBigIntegerField(_("record id"))
    email = models.EmailField(_("email"), help_text=_("The address that bounced."))
    bounced_at = models.DateTimeField(_("bounced at"), default=timezone.now)
    reason = models.CharField(_("reason"), max_length=255, blank=True)

    class Meta:
        ordering = ("-bounced_at", "-id")
        verbose_name = _("e-mail bounce")
        verbose_name_plural = _("e-mail bounces")
        indexes = [
            models.Index(fields=["record_type", "object_id"], name="cleaning_bounce_record_idx")
        ]

    def __str__(self) -> str:
        return self.email


class ContactStatusMark(models.Model):
    """A contact is known to be deceased (the contact model has `left_company` itself)."""

    class Kind(models.TextChoices):
        DECEASED = "deceased", _("Deceased")

    contact = models.ForeignKey(
        "customers.Contact",
        on_delete=models.CASCADE,
        related_name="status_marks",
        verbose_name=_("contact"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("marked by"),
    )
    marked_at = models.DateTimeField(_("marked at"), default=timezone.now)

    class Meta:
        verbose_name = _("contact status mark")
        verbose_name_plural = _("contact status marks")
        constraints = [
            models.UniqueConstraint(fields=["contact", "kind"], name="cleaning_mark_unique")
        ]

    def __str__(self) -> str:
        return f"{self.contact_id}: {self.kind}"


class StaleReview(models.Model):
    """Someone reviewed a stale record and found it still right: it leaves the queue until it is
    untouched for another N months."""

    record_type = models.CharField(_("record type"), max_length=64)
    object_id = models.PositiveBigIntegerField(_("record id"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), default=timezone.now)

    class Meta:
        verbose_name = _("stale-data review")
        verbose_name_plural = _("stale-data reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "object_id"], name="cleaning_review_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.record_type} #{self.object_id}"
