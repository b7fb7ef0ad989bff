"""Data-quality snapshots: one score per record, and a daily roll-up for the trend."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Scores below this count as "poor" on the dashboard.
POOR_BELOW = 60


class QualityScore(models.Model):
    """The latest data-quality score of one record, with what to fix."""

    record_type = models.CharField(
        _("record type"),
        max_length=32,
        help_text=_("The kind of record scored, e.g. 'lead' (a key of the record type registry)."),
    )
    object_id = models.BigIntegerField(_("record id"), help_text=_("The id of the record scored."))
    object_repr = models.CharField(
        _("record"), max_length=255, blank=True, help_text=_("The record's name when scored.")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
        help_text=_("Who owned the record when it was scored."),
    )
    team = models.ForeignKey(
        "access.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team"),
        help_text=_("The owner's team when the record was scored."),
    )
    score = models.PositiveSmallIntegerField(
        _("score"), help_text=_("Data quality from 0 (unusable) to 100 (nothing to fix).")
    )
    issues = models.JSONField(
        _("what to fix"),
        default=list,
        blank=True,
        help_text=_("Each problem found: the field, the reason and the points it costs."),
    )
    computed_at = models.DateTimeField(
        _("computed at"), default=timezone.now, help_text=_("When the score was computed.")
    )

    class Meta:
        verbose_name = _("quality score")
        verbose_name_plural = _("quality scores")
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "object_id"], name="scores_one_score_per_record"
            )
        ]
        indexes = [
            models.Index(fields=["record_type", "score"], name="scores_type_score_idx"),
            models.Index(fields=["owner", "record_type"], name="scores_owner_type_idx"),
            models.Index(fields=["team", "record_type"], name="scores_team_type_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.record_type} {self.object_id}: {self.score}"


class QualityRollup(models.Model):
    """One day's totals per record type and owner, written by the nightly job (the trend)."""

    day = models.DateField(_("day"), help_text=_("The day the scores were taken."))
    record_type = models.CharField(
        _("record type"), max_length=32, help_text=_("The kind of record counted.")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
        help_text=_("Whose records are counted."),
    )
    team = models.ForeignKey(
        "access.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("team"),
        help_text=_("The owner's team that day."),
    )
    records = models.PositiveIntegerField(
        _("records"), help_text=_("How many records were scored.")
    )
    score_sum = models.PositiveBigIntegerField(
        _("sum of scores"), help_text=_("The scores added up (the average is this over records).")
    )
    poor = models.PositiveIntegerField(_("poor records"), help_text=_("How many scored below 60."))

    class Meta:
        verbose_name = _("quality roll-up")
        verbose_name_plural = _("quality roll-ups")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "record_type", "owner"], name="scores_one_rollup_per_day_owner"
            )
        ]
        indexes = [models.Index(fields=["day", "team"], name="scores_rollup_day_team_idx")]

    def __str__(self) -> str:
        return f"{self.day} {self.record_type}"
