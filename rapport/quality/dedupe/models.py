"""Match keys kept beside every person and company, the matching rules, and the review queue."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rapport.quality.dedupe.matching import DEFAULT_THRESHOLD


class MatchKey(models.Model):
    """One blocking key of one record: records sharing a key are compared, no others."""

    record_type = models.CharField(
        _("record type"), max_length=32, help_text=_("contact, lead or account.")
    )
    object_id = models.BigIntegerField(_("record id"), help_text=_("The record's id."))
    key = models.CharField(
        _("key"), max_length=200, help_text=_("e.g. e:ann@acme.com, p:+4930123, n:smit|j.")
    )

    class Meta:
        verbose_name = _("match key")
        verbose_name_plural = _("match keys")
        indexes = [
            models.Index(fields=["record_type", "key"], name="dedupe_key_type_key_idx"),
            models.Index(fields=["record_type", "object_id"], name="dedupe_key_record_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.record_type} {self.object_id}: {self.key}"


class MatchRule(models.Model):
    """An administrator's matching settings for one record type (defaults apply without one)."""

    record_type = models.CharField(
        _("record type"),
        max_length=32,
        unique=True,
        help_text=_("contact (also used for leads against contacts) or account."),
    )
    threshold = models.FloatField(
        _("threshold"),
        default=DEFAULT_THRESHOLD,
        help_text=_("The score (0 to 1) from which two records are proposed as duplicates."),
    )
    weights = models.JSONField(
        _("weights"),
        default=dict,
        blank=True,
        help_text=_('Evidence per signal that differs from the defaults, e.g. {"phone": 2.0}.'),
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Whether duplicates of this type are looked for.")
    )

    class Meta:
        verbose_name = _("match rule")
        verbose_name_plural = _("match rules")

    def __str__(self) -> str:
        return f"{self.record_type} ≥ {self.threshold}"


class DuplicatePair(models.Model):
    """Two records the scan believes are one, waiting for someone to decide."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        MERGED = "merged", _("Merged")
        NOT_DUPLICATE = "not_duplicate", _("Not a duplicate")

    record_type = models.CharField(
        _("record type"), max_length=32, help_text=_("The first record's type.")
    )
    object_id = models.BigIntegerField(_("record id"), help_text=_("The first record's id."))
    other_type = models.CharField(
        _("other record type"), max_length=32, help_text=_("The second record's type.")
    )
    other_id = models.BigIntegerField(_("other record id"), help_text=_("The second record's id."))
    score = models.FloatField(_("score"), help_text=_("How likely the two are one (0 to 1)."))
    reasons = models.JSONField(_("reasons"), default=list, help_text=_("Why, signal by signal."))
    cluster = models.BigIntegerField(
        _("cluster"),
        null=True,
        blank=True,
        help_text=_("Pairs sharing records belong to one cluster (its smallest record id)."),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=Status.choices,
        default=Status.OPEN,
        help_text=_("Open until someone merges the two or says they are different."),
    )
    found_at = models.DateTimeField(
        _("found at"), auto_now_add=True, help_text=_("When a scan first proposed the pair.")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
        help_text=_("Who merged the pair or said it is not a duplicate."),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, help_text=_("When."))

    class Meta:
        ordering = ("-score", "id")
        verbose_name = _("duplicate pair")
        verbose_name_plural = _("duplicate pairs")
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "object_id", "other_type", "other_id"],
                name="dedupe_pair_once",
            )
        ]
        indexes = [models.Index(fields=["status", "-score"], name="dedupe_pair_status_idx")]

    def __str__(self) -> str:
        return f"{self.record_type} {self.object_id} ~ {self.other_type} {self.other_id}"
