"""A merge of two or three records of one type, kept with everything needed to undo it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Merge(models.Model):
    """Who merged which records into which survivor, and exactly what the merge changed.

    `previous_values` are the survivor's fields before the merge (model field name → JSON value, a
    foreign key as its id); `repointed` lists the related rows moved to the survivor, as
    [{"model": "activities.activity", "field": "contact", "old_target": 12, "ids": [3, 4]}].
    """

    record_type = models.CharField(
        _("record type"), max_length=64, help_text=_("The kind of records merged, e.g. contact.")
    )
    survivor_id = models.BigIntegerField(_("survivor"), help_text=_("The record kept."))
    other_ids = models.JSONField(
        _("merged records"), default=list, help_text=_("The records merged into the survivor.")
    )
    field_values = models.JSONField(
        _("field choices"),
        default=dict,
        help_text=_("Per field, the id of the record whose value the survivor took."),
    )
    previous_values = models.JSONField(
        _("previous values"), default=dict, help_text=_("The survivor's fields before the merge.")
    )
    repointed = models.JSONField(
        _("re-pointed rows"), default=list, help_text=_("The related rows moved to the survivor.")
    )
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("merged by"),
        help_text=_("Who merged the records."),
    )
    merged_at = models.DateTimeField(_("merged at"), auto_now_add=True, help_text=_("When."))
    undone_at = models.DateTimeField(
        _("undone at"), null=True, blank=True, help_text=_("When the merge was undone, if it was.")
    )
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("undone by"),
        help_text=_("Who undid the merge."),
    )

    class Meta:
        ordering = ("-merged_at", "-id")
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
        indexes = [
            models.Index(fields=["record_type", "survivor_id"], name="merge_survivor_idx"),
            models.Index(fields=["-merged_at"], name="merge_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.record_type} #{self.survivor_id} ← {self.other_ids}"

    @property
    def is_undone(self) -> bool:
        return self.undone_at is not None
