"""Imports: a file, how its columns map onto a record type, and what became of every row.

An `ImportBatch` is one upload; it is read, mapped, checked (dry run) and committed in chunks by
the worker, and can be rolled back for `ROLLBACK_DAYS`. `ImportRow` keeps only what the report
and the rollback need: every row that is not a plain accepted create (rejected rows, duplicates,
updates with the values they replaced) and the ids of created records.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ROLLBACK_DAYS = 30


class ImportMapping(models.Model):
    """A saved column mapping, reused for files with the same headers."""

    name = models.CharField(_("name"), max_length=100, help_text=_("e.g. Legacy CRM contacts."))
    record_type = models.CharField(
        _("record type"), max_length=32, help_text=_("What the rows become, e.g. contact.")
    )
    columns = models.JSONField(
        _("columns"),
        default=dict,
        help_text=_('Header -> field name ("" to skip the column), e.g. {"E-Mail": "email"}.'),
    )
    options = models.JSONField(
        _("options"),
        default=dict,
        blank=True,
        help_text=_("Import options saved with the mapping (date order, decimal mark, ...)."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="import_mappings",
        verbose_name=_("owner"),
        help_text=_("Who saved the mapping."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("import mapping")
        verbose_name_plural = _("import mappings")
        ordering = ["record_type", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "name"], name="imports_mapping_unique_name"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.record_type})"


class ImportBatch(models.Model):
    """One uploaded file on its way into the database, and back out again if need be."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")  # read, headers known, mapping to be confirmed
        CHECKING = "checking", _("Dry run running")
        CHECKED = "checked", _("Dry run done")
        COMMITTING = "committing", _("Importing")
        COMMITTED = "committed", _("Imported")
        CANCELLED = "cancelled", _("Cancelled")  # nothing (left) in the database
        FAILED = "failed", _("Failed")  # nothing (left) in the database; `error` says why
        ROLLING_BACK = "rolling_back", _("Rolling back")
        ROLLED_BACK = "rolled_back", _("Rolled back")

    class DuplicateMode(models.TextChoices):
        SKIP = "skip", _("Skip the row")
        UPDATE = "update", _("Update the existing record")
        CREATE = "create", _("Create anyway")

    class CommitMode(models.TextChoices):
        VALID_ONLY = "valid_only", _("Import the valid rows, report the others")
        ALL_OR_NOTHING = "all_or_nothing", _("Import nothing unless every row is valid")

    record_type = models.CharField(
        _("record type"), max_length=32, help_text=_("What the rows become, e.g. contact.")
    )
    file = models.FileField(
        _("file"), upload_to="imports/%Y/%m/", help_text=_("The uploaded file, as uploaded.")
    )
    file_name = models.CharField(
        _("file name"), max_length=255, help_text=_("The name the file was uploaded with.")
    )
    file_format = models.CharField(
        _("format"), max_length=10, blank=True, help_text=_("csv, xlsx or vcf (detected).")
    )
    encoding = models.CharField(
        _("encoding"), max_length=32, blank=True, help_text=_("Detected text encoding.")
    )
    delimiter = models.CharField(
        _("delimiter"), max_length=4, blank=True, help_text=_("Detected CSV delimiter.")
    )
    headers = models.JSONField(
        _("headers"), default=list, blank=True, help_text=_("The file's column headers.")
    )
    mapping = models.JSONField(
        _("mapping"),
        default=dict,
        blank=True,
        help_text=_('Header -> field name ("" skips the column).'),
    )
    saved_mapping = models.ForeignKey(
        ImportMapping,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="batches",
        verbose_name=_("saved mapping"),
        help_text=_("The template the mapping came from, if any."),
    )
    options = models.JSONField(
        _("options"),
        default=dict,
        blank=True,
        help_text=_("Date order, decimal mark, match key, keep history, ... (see imports.engine)."),
    )
    duplicate_mode = models.CharField(
        _("duplicates"),
        max_length=10,
        choices=DuplicateMode.choices,
        default=DuplicateMode.SKIP,
        help_text=_("What to do with a row that matches an existing record."),
    )
    commit_mode = models.CharField(
        _("commit"),
        max_length=16,
        choices=CommitMode.choices,
        default=CommitMode.VALID_ONLY,
        help_text=_("Import the valid rows only, or nothing unless all are valid."),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=Status.choices,
        default=Status.UPLOADED,
        help_text=_("Where the import stands."),
    )
    error = models.TextField(_("error"), blank=True, help_text=_("Why the import failed."))
    rows_total = models.PositiveIntegerField(
        _("rows"), null=True, blank=True, help_text=_("Data rows read (known after a pass).")
    )
    rows_done = models.PositiveIntegerField(
        _("rows done"), default=0, help_text=_("Rows processed by the current pass.")
    )
    accepted = models.PositiveIntegerField(_("accepted"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    duplicates = models.PositiveIntegerField(_("duplicates"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    # Resume point of a commit: every row up to this line is in the database, with its ImportRow.
    committed_through = models.PositiveIntegerField(
        _("committed through line"), default=0, help_text=_("Last file line committed.")
    )
    cancel_requested = models.BooleanField(
        _("cancel requested"), default=False, help_text=_("Stop at the next chunk and undo.")
    )
    task_id = models.CharField(
        _("task"), max_length=64, blank=True, help_text=_("The running background task.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="import_batches",
        verbose_name=_("imported by"),
        help_text=_("Who uploaded the file; rows are checked with their permissions."),
    )
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    checked_at = models.DateTimeField(_("dry run at"), null=True, blank=True)
    committed_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    rolled_back_at = models.DateTimeField(_("rolled back at"), null=True, blank=True)
    rolled_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rolled back by"),
    )

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["created_by", "-created_at"], name="imports_batch_user_idx")
        ]

    def __str__(self) -> str:
        return f"Import #{self.pk}: {self.file_name}"

    @property
    def rollback_until(self) -> datetime | None:
        if self.committed_at is None:
            return None
        return self.committed_at + timedelta(days=ROLLBACK_DAYS)

    @property
    def can_roll_back(self) -> bool:
        until = self.rollback_until
        return self.status == self.Status.COMMITTED and until is not None and timezone.now() < until


class ImportRow(models.Model):
    """What became of one row of a batch (plain accepted creates keep only their record id)."""

    class Verdict(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        DUPLICATE = "duplicate", _("Duplicate")

    class Action(models.TextChoices):
        NONE = "", _("Nothing (dry run or rejected)")
        CREATED = "created", _("Created")
        UPDATED = "updated", _("Updated")
        SKIPPED = "skipped", _("Skipped")

    batch = models.ForeignKey(
        ImportBatch, on_delete=models.CASCADE, related_name="rows", verbose_name=_("import")
    )
    line = models.PositiveIntegerField(
        _("line"), help_text=_("Row number in the file (1 = header).")
    )
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices)
    action = models.CharField(
        _("action"), max_length=10, choices=Action.choices, default=Action.NONE, blank=True
    )
    # [{"field": "email", "message": "..."}] for rejections; match reasons for duplicates.
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    object_id = models.BigIntegerField(
        _("record"), null=True, blank=True, help_text=_("The record created or updated.")
    )
    matched_type = models.CharField(_("matched type"), max_length=32, blank=True)
    matched_id = models.BigIntegerField(
        _("matched record"), null=True, blank=True, help_text=_("The existing record it matches.")
    )
    matched_line = models.PositiveIntegerField(
        _("matched line"), null=True, blank=True, help_text=_("Earlier line of the same file.")
    )
    score = models.FloatField(_("score"), null=True, blank=True)
    # For updates: the field values the import replaced (restored by a rollback).
    previous = models.JSONField(_("previous values"), default=dict, blank=True)

    class Meta:
        verbose_name = _("import row")
        verbose_name_plural = _("import rows")
        constraints = [
            models.UniqueConstraint(fields=["batch", "line"], name="imports_row_unique_line")
        ]
        indexes = [
            models.Index(fields=["batch", "verdict", "line"], name="imports_row_verdict_idx")
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.line} {self.verdict}"
