"""Normalisation of what people type: e-mails, phones, names, companies, domains, countries.

Pure functions (no database), used on every write through `normalize_record` (registered with
`rapport.access.crud.register_normalizer` in the app's `ready()`), and as the public match keys of
the duplicate checker:

    normalize_email(" Ada@Example.COM ")        -> "Ada@example.com"
    normalize_phone("01 23 45 67 89", "FR")     -> "+33123456789"
    normalize_person_name("JOHN MCDONALD")      -> "John McDonald"
    split_person_name("ada lovelace")           -> ("Ada", "Lovelace")
    person_name_key("Zoë", "O'Neil")            -> "zoe oneil"
    company_key("ACME Holding, Inc.")           -> "acme holding"
    domain_of("https://www.Acme.com/about")     -> "acme.com"
    country_code("Germany")                     -> "DE"

Each function raises `ValueError` with a message for people when the value cannot be
normalised; `normalize_record` turns it into a `ValidationError` naming the field.

The pure functions whose inputs repeat a lot in bulk writes (names, countries, company names)
are memoised (`functools.lru_cache`): an import of a million rows meets the same thousand
surnames and countries again and again (nameparser and the country search are the slow part).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any
from urllib.parse import urlsplit

import email_validator
import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django_countries import countries
from nameparser import HumanName

__all__ = [
    "collapse_whitespace",
    "company_key",
    "country_code",
    "domain_of",
    "normalize_company_name",
    "normalize_email",
    "normalize_person_name",
    "normalize_phone",
    "normalize_record",
    "person_name_key",
    "split_person_name",
]

_SPACES = re.compile(r"\s+")
_LINE_SPACES = re.compile(r"[^\S\n]+")


def collapse_whitespace(value: str) -> str:
    """Trim the value and turn every run of whitespace (tabs, newlines, NBSP) into one space."""
    return _SPACES.sub(" ", value).strip()


def _tidy_multiline(value: str) -> str:
    """Long texts keep their line breaks: trim each line and collapse spaces within it, and
    never keep more than one empty line in a row."""
    lines = [
        _LINE_SPACES.sub(" ", line).strip() for line in value.replace("\r\n", "\n").split("\n")
    ]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# --- e-mail -----------------------------------------------------------------------------------


def normalize_email(value: str) -> str:
    """A syntactically valid e-mail address, trimmed, with its domain lower-cased (the local part
    is kept as typed: some mail servers treat it case-sensitively). "" stays "".

    Raises ValueError (email-validator's explanation) for an invalid address. Domains reserved
    for testing (".test", RFC 2606) are accepted: demo data and sandboxes use them.
    """
    text = collapse_whitespace(value)
    if not text:
        return ""
    try:
        result = email_validator.validate_email(
            text, check_deliverability=False, test_environment=True
        )
    except email_validator.EmailNotValidError as error:
        raise ValueError(f"Enter a valid e-mail address: {error}") from None
    local = text.rsplit("@", 1)[0]
    return f"{local}@{result.domain.lower()}"


# --- phone ------------------------------------------------------------------------------------


def normalize_phone(value: str, region: str | None = None) -> str:
    """The number in E.164 ("+33123456789"). National numbers are read in `region` (ISO 3166
    alpha-2, e.g. the user's office country); numbers in international form ("+44 …", "0044 …"
    with the region's exit code) need no region. "" stays "".

    Raises ValueError when the number cannot be read or is not a valid number.
    """
    text = collapse_whitespace(value)
    if not text:
        return ""
    region_code = (region or "").upper() or None
    try:
        number = phonenumbers.parse(text, region_code)
    except phonenumbers.NumberParseException:
        if region_code is None and not text.startswith("+"):
            raise ValueError(
                "Enter the number in international form (starting with +country code): "
                "no country is known to read it in."
            ) from None
        raise ValueError("Enter a valid phone number.") from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError("This is not a valid phone number for its country.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# --- person names -----------------------------------------------------------------------------


def _needs_casing(value: str) -> bool:
    """Only names typed all in capitals or all in lower case are re-cased: "McDonald" and
    "van der Berg" typed correctly are left exactly as they are."""
    letters = [c for c in value if c.isalpha()]
    return bool(letters) and (value == value.upper() or value == value.lower())


@functools.lru_cache(maxsize=100_000)
def normalize_person_name(value: str, *, full_name: bool = True) -> str:
    """A person's name, whitespace collapsed, and title-cased when it was typed ALL-CAPS or
    all-lower: "JOHN MCDONALD" → "John McDonald", "jan van der berg" → "Jan van der Berg",
    "o'neil" → "O'Neil". Mixed case is kept as typed. `full_name=False` for one part of a name
    (a last-name field): "VAN DER BERG" → "van der Berg"."""
    text = collapse_whitespace(value)
    if not _needs_casing(text):
        return text
    name = HumanName(text)
    name.capitalize(force=True)
    if not full_name or len(text.split(" ")) == 1 or not name.first:
        # A single token, or a particle-led last name ("van der berg" typed in the last-name
        # field): case the words one by one with nameparser's rules for each.
        words = text.split(" ")
        return " ".join(_case_word(word, last=i == len(words) - 1) for i, word in enumerate(words))
    return collapse_whitespace(str(name))


def _case_word(word: str, *, last: bool) -> str:
    name = HumanName(word)
    name.capitalize(force=True)
    cased = collapse_whitespace(str(name))
    # nameparser parses "van" alone as a first name; particles stay lower case inside a name
    # (but "LE" alone is the family name Le).
    if not last and word.lower() in _PARTICLES:
        return word.lower()
    return cased or word


_PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le", "ter", "ten"}
)


@functools.lru_cache(maxsize=100_000)
def split_person_name(value: str) -> tuple[str, str]:
    """("first", "last") from a full name typed into one field, cased as `normalize_person_name`
    does: "ada lovelace" → ("Ada", "Lovelace"), "Jan van der Berg" → ("Jan", "van der Berg").
    Middle names stay with the first name; titles and suffixes are dropped from the key parts
    only when nameparser recognises them ("Dr.", "Jr")."""
    text = normalize_person_name(value)
    name = HumanName(text)
    first = collapse_whitespace(f"{name.first} {name.middle}")
    last = collapse_whitespace(name.last)
    if not last:
        return ("", first) if first else ("", text)
    return first, last


def _fold(value: str) -> str:
    """Lower case, accents removed, only letters, digits and single spaces."""
    # Casefold after decomposing too: compatibility letters (modifier letters, some Greek
    # symbols) decompose into letters that still have case, and a key must not change when it
    # is taken again.
    decomposed = unicodedata.normalize("NFKD", value.casefold()).casefold()
    ascii_like = "".join(c for c in decomposed if not unicodedata.combining(c))
    cleaned = re.sub(r"[^\w\s]", "", ascii_like).replace("_", " ")
    return collapse_whitespace(cleaned)


def person_name_key(first_name: str, last_name: str = "") -> str:
    """A match key for a person's name: "Zoë O'Neil" and "ZOE ONEIL" → "zoe oneil".
    Case, accents, punctuation and extra spaces do not count."""
    return collapse_whitespace(f"{_fold(first_name)} {_fold(last_name)}")


# --- companies --------------------------------------------------------------------------------

# Legal-form suffixes that say nothing about which company it is. Hand-written: no maintained
# library lists them for matching (cleanco's list is similar but unmaintained and not installed).
_LEGAL_FORMS = (
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "co",
    "company",
    "ltd",
    "limited",
    "llc",
    "llp",
    "lp",
    "plc",
    "gmbh",
    "mbh",
    "ag",
    "kg",
    "gmbh co kg",
    "ug",
    "se",
    "sa",
    "sas",
    "sarl",
    "sàrl",
    "srl",
    "spa",
    "s p a",
    "sl",
    "bv",
    "nv",
    "oy",
    "oyj",
    "ab",
    "as",
    "a s",
    "asa",
    "aps",
    "sp z o o",
    "pty",
    "pty ltd",
    "kk",
    "pte",
    "pte ltd",
)
_LEGAL_SUFFIX = re.compile(
    r"(?:\s(?:"
    + "|".join(sorted((re.escape(f) for f in _LEGAL_FORMS), key=len, reverse=True))
    + r"))+$"
)


def normalize_company_name(value: str) -> str:
    """A company name as it is stored: whitespace trimmed and collapsed (its legal form is kept;
    `company_key` drops it for matching)."""
    return collapse_whitespace(value)


@functools.lru_cache(maxsize=100_000)
def company_key(name: str) -> str:
    """A match key for a company name, without case, accents, punctuation or legal form:
    "ACME Holding, Inc." → "acme holding", "Müller GmbH & Co. KG" → "muller", "Nokia Oyj" →
    "nokia", "Ferrari S.p.A." → "ferrari". A name that is only a legal form keeps it."""
    folded = _fold(name.replace("&", " "))
    # "S.p.A." folds to "spa", "A/S" to "as": _fold removed the punctuation already.
    stripped = _LEGAL_SUFFIX.sub("", f" {folded}").strip()
    return stripped or folded


# --- web domains ------------------------------------------------------------------------------


def domain_of(value: str) -> str:
    """The web domain of a URL or an e-mail address, lower case, without "www.": "https://www.
    Acme.com/about" → "acme.com", "ada@Mail.Acme.com" → "mail.acme.com", "acme.com" →
    "acme.com". "" when there is none. (Hand-written host extraction: urllib does the parsing;
    no public-suffix list is applied, so sub-domains other than "www" are kept.)"""
    text = collapse_whitespace(value).lower()
    if not text:
        return ""
    if "@" in text and "://" not in text:
        host = text.rsplit("@", 1)[1]
    else:
        host = urlsplit(text if "://" in text else f"//{text}").hostname or ""
    host = host.strip(".")
    if host.startswith("www."):
        host = host[4:]
    return host


# --- countries --------------------------------------------------------------------------------

# Common names people type that are not django-countries' English names (hand-written: the
# library knows official names and codes only).
_COUNTRY_ALIASES = {
    "usa": "US",
    "us": "US",
    "u s a": "US",
    "united states of america": "US",
    "america": "US",
    "uk": "GB",
    "u k": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "great britain": "GB",
    "britain": "GB",
    "holland": "NL",
    "the netherlands": "NL",
    "deutschland": "DE",
    "schweiz": "CH",
    "suisse": "CH",
    "espana": "ES",
    "españa": "ES",
    "italia": "IT",
    "osterreich": "AT",
    "österreich": "AT",
    "south korea": "KR",
    "korea": "KR",
    "russia": "RU",
    "czech republic": "CZ",
    "ivory coast": "CI",
    "uae": "AE",
}


@functools.lru_cache(maxsize=100_000)
def country_code(value: str) -> str:
    """The ISO 3166 alpha-2 code of a country given by code (alpha-2 or alpha-3, any case),
    English name or common alias: "de", "DEU", "Germany", "USA" → "DE"/"US". "" stays "".

    Raises ValueError for a value that names no country."""
    text = collapse_whitespace(value)
    if not text:
        return ""
    code = countries.alpha2(text.upper()) if len(text) in (2, 3) else ""
    if code:
        return str(code)
    folded = _fold(text)
    if folded in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[folded]
    for known_code, known_name in countries:
        if _fold(str(known_name)) == folded:
            return str(known_code)
    raise ValueError(f"“{text}” is not a country Rapport knows; use its name or ISO code.")


# --- the write hook ---------------------------------------------------------------------------

_EMAIL_FIELDS = ("email", "secondary_email")
_PHONE_FIELDS = ("phone", "mobile")
_PERSON_FIELDS = ("first_name", "last_name")
_COMPANY_FIELDS = {"account": ("name",), "lead": ("company",)}


def _default_region(obj: models.Model, acting_user: Any) -> str | None:
    """Where national phone numbers are read: the acting user's office, the record's country,
    then settings.PHONE_DEFAULT_REGION (None: only international numbers are understood)."""
    office = getattr(acting_user, "office", None) if acting_user is not None else None
    office_country = getattr(office, "country", "") if office is not None else ""
    if office_country:
        return str(office_country)
    record_country = str(getattr(obj, "country", "") or "")
    if record_country:
        try:
            return country_code(record_country)
        except ValueError:
            pass
    default: str | None = getattr(settings, "PHONE_DEFAULT_REGION", None)
    return default


def _has_field(obj: models.Model, name: str) -> bool:
    return any(f.name == name for f in obj._meta.concrete_fields)


def normalize_record(obj: models.Model, acting_user: Any) -> None:
    """Normalise a record in place before validation (the crud normaliser hook).

    Every text field is trimmed and its whitespace collapsed (long texts keep line breaks);
    e-mails, phones, person names, company names and countries get their own rules. Values that
    cannot be normalised raise one ValidationError naming every such field.
    """
    record_type = _record_type_key(obj)
    errors: dict[str, str] = {}
    for field in obj._meta.concrete_fields:
        if not isinstance(field, (models.CharField, models.TextField)) or field.choices:
            continue
        value = getattr(obj, field.attname)
        if not isinstance(value, str):
            continue
        if isinstance(field, models.TextField):
            setattr(obj, field.attname, _tidy_multiline(value))
        else:
            setattr(obj, field.attname, collapse_whitespace(value))

    record: Any = obj  # the name, country fields are checked with _has_field first
    if _has_field(obj, "first_name") and _has_field(obj, "last_name"):
        # A full name typed into one of the two fields, the other left empty: split it.
        if not record.first_name and " " in record.last_name:
            record.first_name, record.last_name = split_person_name(record.last_name)
        elif not record.last_name and " " in record.first_name:
            record.first_name, record.last_name = split_person_name(record.first_name)
    for name in _PERSON_FIELDS:
        if _has_field(obj, name):
            setattr(obj, name, normalize_person_name(getattr(obj, name), full_name=False))

    for name in _COMPANY_FIELDS.get(record_type, ()):
        if _has_field(obj, name):
            setattr(obj, name, normalize_company_name(getattr(obj, name)))

    for name in _EMAIL_FIELDS:
        if _has_field(obj, name):
            try:
                setattr(obj, name, normalize_email(getattr(obj, name)))
            except ValueError as error:
                if not _unchanged(obj, name):
                    errors[name] = str(error)

    if _has_field(obj, "country") and record.country:
        try:
            record.country = country_code(str(record.country))
        except ValueError as error:
            errors["country"] = str(error)

    region = _default_region(obj, acting_user)
    for name in _PHONE_FIELDS:
        if _has_field(obj, name):
            try:
                setattr(obj, name, normalize_phone(getattr(obj, name), region))
            except ValueError as error:
                if not _unchanged(obj, name):
                    errors[name] = str(error)

    if errors:
        raise ValidationError(errors)


def _unchanged(obj: models.Model, name: str) -> bool:
    """Whether a saved record still holds the value it has in the database. Values stored before
    normalisation (imports, legacy data) that it cannot read are kept as they are, so editing
    another field of the record is not refused; the quality score and rules list them instead.
    (One query, only when a value fails to normalise.)"""
    if obj.pk is None or obj._state.adding:
        return False
    stored = type(obj)._base_manager.filter(pk=obj.pk).values_list(name, flat=True).first()
    return stored is not None and stored == getattr(obj, name)


def _record_type_key(obj: models.Model) -> str:
    from rapport.core import records

    try:
        return records.for_model(type(obj)).key
    except KeyError:
        return ""
