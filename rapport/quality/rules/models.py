"""Validation rules: "when <condition>, require <condition>", for one record type."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from rapport.core.models import TimeStampedModel


class ValidationRule(TimeStampedModel):
    """A rule every write of a record type must meet (pages, API, imports and bulk edits alike)."""

    class Kind(models.TextChoices):
        REQUIRED_WHEN = "required_when", _("Required when")
        FORMAT = "format", _("Format")
        RANGE = "range", _("Range")
        CROSS_FIELD = "cross_field", _("Cross-field")

    record_type = models.CharField(
        _("record type"), max_length=64, help_text=_("The kind of record it checks, e.g. lead.")
    )
    name = models.CharField(
        _("name"), max_length=150, help_text=_("Short, shown with the message, e.g. 'Amount set'.")
    )
    kind = models.CharField(
        _("kind"),
        max_length=16,
        choices=Kind.choices,
        default=Kind.REQUIRED_WHEN,
        help_text=_("What sort of rule it is; all kinds are checked the same way."),
    )
    field_names = models.JSONField(
        _("fields"),
        default=list,
        help_text=_("The fields the message is shown on (a list of field names)."),
    )
    applies_when = models.JSONField(
        _("applies when"),
        null=True,
        blank=True,
        help_text=_("The condition under which the rule applies (empty: always)."),
    )
    condition = models.JSONField(
        _("requires"), help_text=_("The condition a record the rule applies to must meet.")
    )
    message = models.CharField(
        _("message"), max_length=255, help_text=_("What to tell the person who breaks it.")
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Only active rules are enforced.")
    )
    sort_order = models.PositiveIntegerField(
        _("order"), default=0, help_text=_("Rules are checked in this order, lowest first.")
    )

    class Meta:
        ordering = ("record_type", "sort_order", "id")
        verbose_name = _("validation rule")
        verbose_name_plural = _("validation rules")
        indexes = [models.Index(fields=["record_type", "is_active"], name="rules_type_active")]

    def __str__(self) -> str:
        return self.name
