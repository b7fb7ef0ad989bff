"""The wizard's forms: the upload, and the column mapping with the import options."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet

from rapport.imports.mapping import HISTORY_FIELDS, ImportField
from rapport.imports.models import ImportBatch, ImportMapping

ACCEPTED_FILES = ".csv,.tsv,.txt,.xlsx,.xlsm,.vcf,.vcard"

DAY_FIRST = "day"
MONTH_FIRST = "month"
DATE_ORDERS = [
    (DAY_FIRST, "Day first (31.12.2024, 31/12/2024)"),
    (MONTH_FIRST, "Month first (12/31/2024)"),
]
DECIMAL_MARKS = [
    ("auto", "Decide per value (1,234.56 and 1.234,56 both work)"),
    (".", "Point (1,234.56)"),
    (",", "Comma (1.234,56)"),
]
DUPLICATE_MODES = [
    (ImportBatch.DuplicateMode.SKIP.value, "Skip the row and report it"),
    (ImportBatch.DuplicateMode.UPDATE.value, "Update the existing record"),
    (ImportBatch.DuplicateMode.CREATE.value, "Create a new record anyway"),
]
COMMIT_MODES = [
    (ImportBatch.CommitMode.VALID_ONLY.value, "Import the valid rows, report the others"),
    (ImportBatch.CommitMode.ALL_OR_NOTHING.value, "Import nothing unless every row is valid"),
]
UNRESOLVED = [
    ("reject", "Reject the row"),
    ("report", "Import the row without the link, and report it"),
]
# Keys a row can be matched on to update the existing record, offered when the type has them.
MATCH_KEYS = (
    ("external_id", "External id (the legacy system's key)"),
    ("email", "E-mail"),
    ("id", "Rapport ID (from an export)"),
)


class UploadForm(forms.Form):
    record_type = forms.ChoiceField(
        label="Import as", help_text="What every row of the file becomes."
    )
    file = forms.FileField(
        allow_empty_file=True,  # the reader says "The file is empty." like for every other way in
        label="File",
        help_text="CSV (any delimiter or encoding), Excel (.xlsx) or vCard (.vcf, contacts only).",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPTED_FILES}),
    )
    saved_mapping = forms.ModelChoiceField(
        queryset=ImportMapping.objects.none(),
        required=False,
        label="Saved mapping",
        empty_label="Suggest from the headers",
        help_text="A mapping saved by an earlier import of the same kind of file.",
    )

    def __init__(
        self,
        *args: Any,
        record_types: Sequence[tuple[str, str]],
        mappings: QuerySet[ImportMapping],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        type_field: Any = self.fields["record_type"]
        type_field.choices = list(record_types)
        if mappings.exists():
            mapping_field: Any = self.fields["saved_mapping"]
            mapping_field.queryset = mappings
        else:
            del self.fields["saved_mapping"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        mapping: ImportMapping | None = cleaned.get("saved_mapping")
        record_type = cleaned.get("record_type")
        if mapping is not None and record_type and mapping.record_type != record_type:
            self.add_error(
                "saved_mapping",
                f"“{mapping.name}” maps {mapping.record_type} files; choose one for "
                f"{record_type} or let Rapport suggest the mapping.",
            )
        return cleaned


def column_field_name(index: int) -> str:
    return f"column_{index}"


class MappingForm(forms.Form):
    """One select per file header, then the options of the import."""

    duplicate_mode = forms.ChoiceField(
        label="Rows that match an existing record",
        choices=DUPLICATE_MODES,
        widget=forms.RadioSelect,
    )
    match_on = forms.ChoiceField(
        label="Match on",
        required=False,
        help_text="Which key finds the record to update. Without one, the duplicate check decides.",
    )
    commit_mode = forms.ChoiceField(label="Commit", choices=COMMIT_MODES, widget=forms.RadioSelect)
    date_order = forms.ChoiceField(
        label="Dates", choices=DATE_ORDERS, help_text="ISO dates (2024-12-31) always work."
    )
    decimal_mark = forms.ChoiceField(label="Decimal mark", choices=DECIMAL_MARKS)
    unresolved = forms.ChoiceField(
        label="A related record is not found",
        choices=UNRESOLVED,
        help_text="E.g. a contact's company that is not an account yet (by name or web domain).",
    )
    keep_history = forms.BooleanField(
        label="Keep created dates and owners from the file",
        required=False,
        help_text="For a migration from a legacy system: records keep their original history.",
    )
    save_as = forms.CharField(
        label="Save this mapping as",
        required=False,
        max_length=100,
        help_text="Name it to reuse it for the next file with these headers.",
    )

    def __init__(
        self,
        *args: Any,
        headers: Sequence[str],
        fields: Sequence[ImportField],
        may_keep_history: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.headers = list(headers)
        choices: list[tuple[str, str]] = [("", "Don't import")]
        choices += [(f.name, f"{f.label} *" if f.required else f.label) for f in fields]
        for index, header in enumerate(self.headers):
            self.fields[column_field_name(index)] = forms.ChoiceField(
                label=header or f"Column {index + 1}",
                choices=choices,
                required=False,
                widget=forms.Select(attrs={"data-column": index}),
            )
        names = {f.name for f in fields}
        match_choices: Any = [
            ("", "Rapport ID or external id when mapped, else the duplicate check")
        ]
        match_choices += [(key, label) for key, label in MATCH_KEYS if key in names or key == "id"]
        match_field: Any = self.fields["match_on"]
        match_field.choices = match_choices
        self.history_fields = [f.label for f in fields if f.name in HISTORY_FIELDS]
        if not may_keep_history:
            del self.fields["keep_history"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        history = [
            self.headers[i]
            for i in range(len(self.headers))
            if cleaned.get(column_field_name(i)) in HISTORY_FIELDS
        ]
        if history and not cleaned.get("keep_history"):
            # Overwriting who owns a record and when it was created is a migration's business:
            # ask for the tick rather than doing it because a column happened to match.
            for header in history:
                self.add_error(
                    column_field_name(self.headers.index(header)),
                    "Historical created dates and owners are kept only when “Keep created "
                    "dates and owners from the file” is ticked below.",
                )
        return cleaned

    def column_fields(self) -> list[forms.BoundField]:
        return [self[column_field_name(i)] for i in range(len(self.headers))]

    def mapping(self) -> dict[str, str]:
        """Header -> field name ("" skips the column), from the cleaned data."""
        return {
            header: self.cleaned_data.get(column_field_name(i), "") or ""
            for i, header in enumerate(self.headers)
        }

    def options(self) -> dict[str, Any]:
        data = self.cleaned_data
        options: dict[str, Any] = {
            "day_first": data["date_order"] != MONTH_FIRST,
            "decimal_mark": data["decimal_mark"],
            "keep_history": bool(data.get("keep_history", False)),
            "unresolved": data["unresolved"],
        }
        if data.get("match_on"):
            options["match_on"] = data["match_on"]
        return options
