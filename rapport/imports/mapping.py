"""Which fields an import may fill, and which column of a file goes into which field.

`importable_fields` lists a record type's fields a person may write from a file: the model's
editable fields minus bookkeeping (timestamps, soft delete, conversion and stage history that
the record keeps itself) and minus the fields their role hides or makes read-only. "id" is
offered too: it never writes, it finds the record to update (export → change → import).

Historical values from a legacy system (`created_at`, `owner`) are offered only to people who may
keep history. Rapport's access app has no finer right for it, so that is administrators only
(`may_keep_history`).

`mapping_suggest` maps headers onto fields: exact field name, verbose name or export header
first, then a synonym table (E-Mail, Mail → email; Firma, Company → account, …), then a fuzzy
match over labels with a cut-off; never two headers onto one field.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django_countries.fields import CountryField
from rapidfuzz import fuzz, process

from rapport.access import permissions
from rapport.core import records
from rapport.core.picklists import PicklistField

IMPORTABLE_TYPES = ("account", "contact", "lead", "opportunity", "activity", "product")

# The id column: the match key for updates, never written.
ID_FIELD = "id"

# Fields no file writes: Rapport keeps them itself.
BOOKKEEPING = frozenset({"id", "created_at", "updated_at", "deleted_at", "deleted_by"})
TYPE_BOOKKEEPING: dict[str, frozenset[str]] = {
    "lead": frozenset(
        {
            "status_changed_at",
            "last_touched_at",
            "web_form",
            "converted_at",
            "converted_by",
            "converted_account",
            "converted_contact",
            "converted_opportunity",
        }
    ),
    "opportunity": frozenset({"stage_changed_at", "closed_at", "price_list"}),
    "activity": frozenset({"opportunity_step"}),
}
# Written only by people who may keep a legacy system's history.
HISTORY_FIELDS = ("created_at", "owner")

# Fuzzy matches below this score (0..100) are not suggested.
FUZZY_CUTOFF = 85


@dataclass(frozen=True)
class ImportField:
    """One field a column can be mapped onto."""

    name: str
    label: str
    required: bool
    kind: str  # text, email, url, phone, date, datetime, decimal, int, bool, choice,
    # picklist, relation, country, id
    help: str
    choices: list[tuple[str, str]] = field(default_factory=list)


def may_keep_history(user: Any) -> bool:
    """Whether the person may set historical `created_at` and `owner` values from a file."""
    return bool(getattr(user, "is_administrator", False))


def _kind(model_field: models.Field[Any, Any]) -> str:
    if isinstance(model_field, PicklistField):
        return "picklist"
    if isinstance(model_field, models.ForeignKey):
        return "relation"
    if isinstance(model_field, CountryField):
        return "country"
    if model_field.choices:
        return "choice"
    if isinstance(model_field, models.EmailField):
        return "email"
    if isinstance(model_field, models.URLField):
        return "url"
    if isinstance(model_field, models.BooleanField):
        return "bool"
    if isinstance(model_field, models.DateTimeField):
        return "datetime"
    if isinstance(model_field, models.DateField):
        return "date"
    if isinstance(model_field, models.DecimalField | models.FloatField):
        return "decimal"
    if isinstance(model_field, models.IntegerField):
        return "int"
    if model_field.name in ("phone", "mobile"):
        return "phone"
    return "text"


def _choices(model_field: models.Field[Any, Any]) -> list[tuple[str, str]]:
    if isinstance(model_field, CountryField) or not model_field.choices:
        return []
    return [(str(key), str(label)) for key, label in model_field.flatchoices]


def _label(model_field: models.Field[Any, Any]) -> str:
    return str(model_field.verbose_name)[:1].upper() + str(model_field.verbose_name)[1:]


def _required(model_field: models.Field[Any, Any], record_type: str) -> bool:
    if model_field.blank or model_field.has_default():
        return False
    # Filled in by the record's own service when the file says nothing.
    defaults = {
        "owner",
        "status",
        "stage",
        "currency",
        "probability",
        "occurred_at",
    }
    return model_field.name not in defaults


def importable_fields(record_type: str, user: Any) -> list[ImportField]:
    """The fields of a record type that the person may fill from a file, in model order."""
    if record_type not in IMPORTABLE_TYPES:
        raise KeyError(record_type)
    model = records.get(record_type).model
    protected = permissions.policy_for(user, record_type).protected_fields
    history = may_keep_history(user)
    skipped = BOOKKEEPING | TYPE_BOOKKEEPING.get(record_type, frozenset())
    found: list[ImportField] = [
        ImportField(
            name=ID_FIELD,
            label="ID",
            required=False,
            kind="id",
            help="The record's Rapport id: the row updates that record.",
        )
    ]
    for model_field in model._meta.concrete_fields:
        name = model_field.name
        if name in protected:
            continue
        if name in HISTORY_FIELDS:
            if not history:
                continue
        elif name in skipped or not model_field.editable:
            continue
        found.append(
            ImportField(
                name=name,
                label=_label(model_field),
                required=_required(model_field, record_type),
                kind=_kind(model_field),
                help=str(model_field.help_text),
                choices=_choices(model_field),
            )
        )
    return found


# --- suggestions ------------------------------------------------------------------------------


def _fold(text: str) -> str:
    """Lower case, accents off, punctuation and separators as single spaces."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return " ".join(re.findall(r"[a-z0-9]+", plain))


# Folded header → field name. Hand-written: the words legacy CRMs and spreadsheets use.
_SYNONYMS: dict[str, str] = {
    # e-mail
    "e mail": "email",
    "email address": "email",
    "e mail address": "email",
    "mail": "email",
    "emailadresse": "email",
    "e mail adresse": "email",
    "courriel": "email",
    "work email": "email",
    "other email": "secondary_email",
    "personal email": "secondary_email",
    "email 2": "secondary_email",
    # phones
    "tel": "phone",
    "tel.": "phone",
    "telephone": "phone",
    "phone number": "phone",
    "telefon": "phone",
    "telefonnummer": "phone",
    "business phone": "phone",
    "work phone": "phone",
    "office phone": "phone",
    "mobile phone": "mobile",
    "cell": "mobile",
    "cell phone": "mobile",
    "handy": "mobile",
    "mobil": "mobile",
    "portable": "mobile",
    # names
    "first": "first_name",
    "firstname": "first_name",
    "given name": "first_name",
    "forename": "first_name",
    "vorname": "first_name",
    "prenom": "first_name",
    "last": "last_name",
    "lastname": "last_name",
    "surname": "last_name",
    "family name": "last_name",
    "nachname": "last_name",
    "nom": "last_name",
    "nom de famille": "last_name",
    # companies
    "company": "account",
    "company name": "account",
    "organisation": "account",
    "organization": "account",
    "firma": "account",
    "unternehmen": "account",
    "societe": "account",
    "employer": "account",
    "account name": "account",
    # addresses
    "zip": "postal_code",
    "zip code": "postal_code",
    "zipcode": "postal_code",
    "postcode": "postal_code",
    "post code": "postal_code",
    "plz": "postal_code",
    "postleitzahl": "postal_code",
    "code postal": "postal_code",
    "address": "street",
    "street address": "street",
    "address line 1": "street",
    "strasse": "street",
    "adresse": "street",
    "town": "city",
    "ort": "city",
    "stadt": "city",
    "ville": "city",
    "state": "region",
    "province": "region",
    "county": "region",
    "bundesland": "region",
    "land": "country",
    "pays": "country",
    # the rest
    "title": "job_title",
    "position": "job_title",
    "job": "job_title",
    "funktion": "job_title",
    "web": "website",
    "url": "website",
    "homepage": "website",
    "web site": "website",
    "date of birth": "birthdate",
    "dob": "birthdate",
    "birthday": "birthdate",
    "geburtsdatum": "birthdate",
    "notes": "description",
    "note": "description",
    "comments": "description",
    "bemerkung": "description",
    "external id": "external_id",
    "legacy id": "external_id",
    "crm id": "external_id",
    "record id": "external_id",
    "sku": "code",
    "product code": "code",
    "deal": "name",
    "deal name": "name",
    "opportunity name": "name",
    "value": "amount",
    "deal value": "amount",
    "close date": "forecast_close_date",
    "expected close date": "forecast_close_date",
    "created": "created_at",
    "created date": "created_at",
    "created on": "created_at",
    "date created": "created_at",
    "owner name": "owner",
    "assigned to": "owner",
    "sales rep": "owner",
    "revenue": "annual_revenue",
    "number of employees": "employees",
    "headcount": "employees",
}


def mapping_suggest(record_type: str, headers: list[str], user: Any) -> dict[str, str]:
    """header → field name ("" when no field fits), each field at most once.

    Exact names and labels win over synonyms, synonyms over fuzzy matches, and an earlier
    header over a later one with the same kind of match.
    """
    fields = importable_fields(record_type, user)
    by_exact: dict[str, str] = {}
    for item in fields:
        by_exact.setdefault(_fold(item.name), item.name)
        by_exact.setdefault(_fold(item.label), item.name)
        # The "_id" spelling of foreign keys, e.g. account_id.
        by_exact.setdefault(_fold(f"{item.name}_id"), item.name)
    known = {item.name for item in fields}
    suggestion: dict[str, str] = dict.fromkeys(headers, "")
    taken: set[str] = set()

    def claim(header: str, name: str | None) -> None:
        if name and name in known and name not in taken and not suggestion[header]:
            suggestion[header] = name
            taken.add(name)

    for header in headers:
        claim(header, by_exact.get(_fold(header)))
    for header in headers:
        claim(header, _SYNONYMS.get(_fold(header)))
    labels = {item.name: _fold(item.label) for item in fields if item.name != ID_FIELD}
    for header in headers:
        if suggestion[header] or not _fold(header):
            continue
        choices = {name: label for name, label in labels.items() if name not in taken}
        best = process.extractOne(
            _fold(header), choices, scorer=fuzz.WRatio, score_cutoff=FUZZY_CUTOFF
        )
        if best is not None:
            claim(header, str(best[2]))
    return suggestion
