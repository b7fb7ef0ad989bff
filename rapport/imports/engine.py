"""The import pipeline: rows of a file → checked records → the database, and back out again.

Rows are read streamed (`reading.open_table(...).rows()`) and handled in chunks of `CHUNK`
rows. Per chunk, with a bounded number of queries (never one per row):

1. **map and convert** every mapped cell with the parsers of `values.py` (dates, numbers and
   booleans in the batch's locale options), picklists by key or label, choices by key or label;
2. **resolve relations** set-based: account by exact name, then by company key or web domain
   (the accounts' duplicate keys), contact and lead by e-mail or name, opportunity by name,
   owner by username or e-mail; a value that finds nothing rejects the row naming the column
   and the value (or, with the option `unresolved="report"`, imports it without the link and
   says so);
3. **normalise and validate exactly as a manual write does**: the normalisers registered with
   `rapport.access.crud`, the model's `full_clean` (relations, unique values and constraints are
   checked per chunk instead of per row), then the validators — the validation rules of the
   quality app are read once per chunk and applied row by row with the same messages;
4. **duplicates**: exact matches on the id / external id / chosen match field, then the match
   keys of the duplicate checker (`rapport.quality.dedupe`) looked up for the whole chunk in one
   query, candidates scored with the same scorer and threshold as the entry check. Earlier rows
   of the same file count too: in a commit they are in the database already (their keys written
   with them); a dry run keeps the keys of the last `FILE_MEMORY_ROWS` accepted rows in memory.

A commit writes each chunk in its own transaction — records (`bulk_create`), their match keys,
quality scores and audit entries (marked `import:<batch id>` in the request id; keys, audit
entries and report rows are appended with COPY on PostgreSQL), the batch's
`ImportRow`s and `committed_through` — so a worker that dies leaves the database at a chunk
boundary and a resumed commit carries on after `committed_through`. Leads, opportunities and
activities are created through their own services, one savepoint per row: their status and
stage histories and activity hooks are per record by nature. Updates go through the record
services too, with the values they replaced kept in `ImportRow.previous` for the rollback.

Rollback hard-deletes the records the batch created (they never existed) and restores the
updated ones. It refuses, naming them, when created records have since gained related records
(an activity on an imported contact, …) that would be lost or block the delete.
"""

from __future__ import annotations

import datetime
import decimal
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import connection, models, reset_queries, router, transaction
from django.db.models import Q
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils import timezone
from django_countries import countries

from rapport.access import crud, permissions
from rapport.access.models import User
from rapport.core import audit, records
from rapport.core.models import AuditEntry, PicklistValue
from rapport.core.picklists import PicklistField
from rapport.exports.neutralise import unneutralise
from rapport.imports import mapping as mapping_module
from rapport.imports import reading
from rapport.imports.models import ImportBatch, ImportRow
from rapport.quality.cleaning.normalize import company_key, domain_of, split_person_name
from rapport.quality.dedupe import matching
from rapport.quality.dedupe import services as dedupe
from rapport.quality.dedupe.models import DuplicatePair, MatchKey
from rapport.quality.rules import services as rules
from rapport.quality.scores import scoring
from rapport.quality.scores import services as scores
from rapport.quality.scores.models import QualityScore

CHUNK = 2000
# How many accepted rows a dry run remembers to find duplicates within the file (a commit needs
# no memory: earlier rows are in the database with their keys). ~1 KiB each.
FILE_MEMORY_ROWS = 200_000
# Rows whose keys are looked up in one statement (keeps below SQLite's parameter limit).
KEY_QUERY_ROWS = 500
# Candidate records kept as matching.Person / Company between chunks, at most.
PEOPLE_CACHE = 100_000
# Rows a rollback deletes or restores per transaction.
ROLLBACK_CHUNK = 1000

FAST_TYPES = ("account", "contact", "product")  # plain crud writes: bulk inserts
SERVICE_TYPES = ("lead", "opportunity", "activity")  # per-record side effects: their services
DEDUPE_TYPES = dedupe.RECORD_TYPES  # contact, lead, account

AUDIT_MARK = "import:{pk}"

_COUNTRY_CODES = frozenset(str(code) for code, _name in countries)

Progress = Callable[[int, int | None, str], None]


class CommitRefusedError(Exception):
    """An all-or-nothing commit met a rejected row: the transaction is rolled back."""


# --- options ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Options:
    """How the cells of one file are read and matched."""

    day_first: bool = True  # 03/04/2024 is 3 April (False: 4 March)
    decimal_mark: str = "auto"  # "auto", "." or ","
    match_on: str = ""  # update/skip key: "" (id, then external id), "id", "external_id",
    # "email" or another field name
    unresolved: str = "reject"  # a relation that finds nothing: "reject" the row, or "report"
    keep_history: bool = False  # created_at and owner from the file (needs the right)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Options:
        data = dict(data or {})
        errors: dict[str, str] = {}
        unknown = sorted(set(data) - set(cls.__dataclass_fields__))
        if unknown:
            errors["options"] = "Unknown option(s): " + ", ".join(unknown) + "."
        decimal_mark = str(data.get("decimal_mark", "auto") or "auto")
        if decimal_mark not in ("auto", ".", ","):
            errors["decimal_mark"] = 'The decimal mark is "auto", "." or ",".'
        unresolved = str(data.get("unresolved", "reject") or "reject")
        if unresolved not in ("reject", "report"):
            errors["unresolved"] = 'Unresolved relations are "reject" or "report".'
        if errors:
            raise ValidationError(errors)
        return cls(
            day_first=bool(data.get("day_first", True)),
            decimal_mark=decimal_mark,
            match_on=str(data.get("match_on", "") or ""),
            unresolved=unresolved,
            keep_history=bool(data.get("keep_history", False)),
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "day_first": self.day_first,
            "decimal_mark": self.decimal_mark,
            "match_on": self.match_on,
            "unresolved": self.unresolved,
            "keep_history": self.keep_history,
        }


# --- results ----------------------------------------------------------------------------------


@dataclass
class RowResult:
    """What the pipeline made of one row."""

    line: int
    cells: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)  # field → model value
    errors: list[dict[str, str]] = field(default_factory=list)  # {"field", "message"}
    notes: list[dict[str, str]] = field(default_factory=list)  # reported, not rejected
    obj: Any = None  # the unsaved (or saved) record
    existing: Any = None  # the record an exact match found
    keys: set[str] = field(default_factory=set)
    person: Any = None  # matching.Person / Company
    matched_type: str = ""
    matched_id: int | None = None
    matched_line: int | None = None
    matched_name: str = ""
    score: float | None = None
    match_reasons: list[str] = field(default_factory=list)
    action: str = ""
    previous: dict[str, Any] = field(default_factory=dict)

    @property
    def verdict(self) -> str:
        if self.errors:
            return ImportRow.Verdict.REJECTED
        if self.matched_id is not None or self.matched_line is not None:
            return ImportRow.Verdict.DUPLICATE
        return ImportRow.Verdict.ACCEPTED

    def reject(self, name: str, message: str) -> None:
        self.errors.append({"field": name, "message": message})

    @property
    def reasons(self) -> list[dict[str, str]]:
        if self.errors:
            return self.errors + self.notes
        found = [{"field": "", "message": reason} for reason in self.match_reasons]
        return found + self.notes


@dataclass
class Summary:
    rows: int = 0
    accepted: int = 0
    rejected: int = 0
    duplicates: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0

    def add(self, result: RowResult) -> None:
        self.rows += 1
        verdict = result.verdict
        if verdict == ImportRow.Verdict.REJECTED:
            self.rejected += 1
        elif verdict == ImportRow.Verdict.DUPLICATE:
            self.duplicates += 1
        else:
            self.accepted += 1
        if result.action == ImportRow.Action.CREATED:
            self.created += 1
        elif result.action == ImportRow.Action.UPDATED:
            self.updated += 1
        elif result.action == ImportRow.Action.SKIPPED:
            self.skipped += 1

    @classmethod
    def of(cls, batch: ImportBatch) -> Summary:
        return cls(
            rows=batch.accepted + batch.rejected + batch.duplicates,
            accepted=batch.accepted,
            rejected=batch.rejected,
            duplicates=batch.duplicates,
            created=batch.created,
            updated=batch.updated,
            skipped=batch.skipped,
        )

    def line(self) -> str:
        return (
            f"rows {self.rows}, accepted {self.accepted}, rejected {self.rejected}, "
            f"duplicates {self.duplicates}"
        )


# --- converting cells -------------------------------------------------------------------------


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


class Lookups:
    """Reference data read once per import: picklists, stages, users, choices."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.picklists: dict[str, dict[str, PicklistValue]] = {}
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, PicklistField):
                key = model_field.picklist_key
                values: dict[str, PicklistValue] = {}
                for value in PicklistValue.objects.filter(picklist__key=key).order_by(
                    "-is_active", "sort_order"
                ):
                    values.setdefault(_fold(value.key), value)
                    values.setdefault(_fold(value.label), value)
                self.picklists[model_field.name] = values
        self.users: dict[str, Any] = {}
        for user in User.objects.order_by("-is_active", "pk"):
            self.users.setdefault(_fold(user.get_username()), user)
            if user.email:
                self.users.setdefault(_fold(user.email), user)
        self.stages: dict[str, Any] = {}
        if any(f.name == "stage" for f in model._meta.concrete_fields):
            from rapport.pipeline.models import Stage

            for stage in Stage.objects.order_by("-is_active", "sort_order"):
                self.stages.setdefault(_fold(stage.key), stage)
                self.stages.setdefault(_fold(stage.name), stage)


def _values_module() -> Any:
    from rapport.imports import values

    return values


class Converter:
    """Turns the text cells of a row into model values, one field kind at a time."""

    def __init__(
        self,
        *,
        record_type: str,
        mapping: Mapping[str, str],
        options: Options,
        acting_user: Any,
        excel: bool = False,
    ) -> None:
        self.excel = excel
        self.record_type = record_type
        self.model: Any = records.get(record_type).model
        self.options = options
        self.acting_user = acting_user
        self.fields = {
            f.name: f for f in mapping_module.importable_fields(record_type, acting_user)
        }
        self.columns = [(header, name) for header, name in mapping.items() if name]
        refused = sorted({name for _header, name in self.columns if name not in self.fields})
        if refused:
            # The mapping was made by someone else (an administrator) or the role changed since.
            raise ValidationError(dict.fromkeys(refused, "You may not import into this field."))
        self.lookups = Lookups(self.model)
        self.values = _values_module()
        self.tz = timezone.get_current_timezone()

    def model_field(self, name: str) -> models.Field[Any, Any]:
        found: models.Field[Any, Any] = self.model._meta.get_field(name)
        return found

    def convert(self, result: RowResult) -> dict[str, str]:
        """Fill `result.values` from its cells; returns the relation texts still to resolve."""
        pending: dict[str, str] = {}
        for header, name in self.columns:
            text = unneutralise(result.cells.get(header, "")).strip()
            kind = self.fields[name].kind
            try:
                if kind == "relation":
                    if text:
                        pending[name] = text
                    else:
                        result.values[name] = None
                    continue
                result.values[name] = self._value(name, kind, text)
            except ValueError as error:
                result.reject(name, f"{header}: {error}")
        return pending

    def _value(self, name: str, kind: str, text: str) -> Any:
        values = self.values
        model_field = self.model_field(name) if name != mapping_module.ID_FIELD else None
        if kind == "id":
            if not text:
                return None
            if not text.isdigit():
                raise ValueError(f"“{text}” is not a record id (a whole number).")
            return int(text)
        if not text:
            if model_field is not None and model_field.has_default() and kind == "bool":
                return model_field.get_default()
            if model_field is not None and model_field.null:
                return None
            return ""
        if kind == "date":
            return values.parse_date(
                text, day_first=self.options.day_first, excel_serial=self.excel
            )
        if kind == "datetime":
            return values.parse_datetime(
                text, day_first=self.options.day_first, tz=self.tz, excel_serial=self.excel
            )
        if kind == "decimal":
            return values.parse_decimal(text, decimal_mark=self.options.decimal_mark)
        if kind == "int":
            return values.parse_int(text, decimal_mark=self.options.decimal_mark)
        if kind == "bool":
            return values.parse_bool(text)
        if kind == "picklist":
            found = self.lookups.picklists[name].get(_fold(text))
            if found is None:
                choices = sorted({v.label for v in self.lookups.picklists[name].values()})
                raise ValueError(
                    f"“{text}” is not a value of this list (one of: {', '.join(choices[:12])})."
                )
            return found
        if kind == "choice":
            folded = _fold(text)
            for key, label in self.fields[name].choices:
                if folded in (_fold(key), _fold(label)):
                    return key
            allowed = ", ".join(label for _key, label in self.fields[name].choices)
            raise ValueError(f"“{text}” is not one of: {allowed}.")
        return text

    # Relations, resolved for a whole chunk -----------------------------------------------------

    def resolve(self, results: list[RowResult], pending: list[dict[str, str]]) -> None:
        wanted: dict[str, set[str]] = {}
        for texts in pending:
            for name, text in texts.items():
                wanted.setdefault(name, set()).add(text)
        found: dict[str, dict[str, Any]] = {}
        for name, wanted_texts in wanted.items():
            target = self.model_field(name).related_model
            found[name] = self._lookup(name, target, wanted_texts)
        headers = {name: header for header, name in self.columns}
        for result, texts in zip(results, pending, strict=True):
            for name, text in texts.items():
                hit = found[name].get(text)
                if isinstance(hit, models.Model):
                    result.values[name] = hit
                    continue
                label = str(self.model_field(name).verbose_name)
                message = hit if isinstance(hit, str) else f"no {label} “{text}” was found."
                message = f"{headers[name]}: {message}"
                if self.options.unresolved == "report" and not self._required(name):
                    result.values[name] = None
                    result.notes.append(
                        {"field": name, "message": f"Relation not found: {message}"}
                    )
                else:
                    result.reject(name, message)

    def _required(self, name: str) -> bool:
        return not self.model_field(name).blank

    def _lookup(self, name: str, target: Any, texts: set[str]) -> dict[str, Any]:
        """text → the one record it names, or a message saying why none (ambiguous)."""
        from rapport.customers.models import Account, Contact
        from rapport.leads.models import Lead
        from rapport.pipeline.models import Opportunity, Stage

        if target is User:
            return {t: self.lookups.users.get(_fold(t)) for t in texts}
        if target is Stage:
            return {t: self.lookups.stages.get(_fold(t)) for t in texts}
        if target is Account:
            return self._accounts(texts)
        if target in (Contact, Lead):
            return self._people(target, texts)
        if target is Opportunity:
            return self._by_name(target, "opportunity", "name", texts)
        return {}

    def _scoped(self, record_type: str, queryset: Any) -> Any:
        if self.acting_user is None:
            return queryset
        return permissions.scope_queryset(self.acting_user, record_type, queryset)

    def _by_name(
        self, target: Any, record_type: str, field_name: str, texts: set[str]
    ) -> dict[str, Any]:
        by_text: dict[str, list[Any]] = {}
        digits = {int(t.lstrip("#")) for t in texts if t.lstrip("#").isdigit()}
        queryset = target.objects.filter(Q(**{f"{field_name}__in": texts}) | Q(pk__in=digits))
        for record in self._scoped(record_type, queryset):
            value = getattr(record, field_name)
            by_text.setdefault(value, []).append(record)
            by_text.setdefault(f"#{record.pk}", []).append(record)
        return {t: _one(by_text.get(t, by_text.get(f"#{t.lstrip('#')}", [])), t) for t in texts}

    def _accounts(self, texts: set[str]) -> dict[str, Any]:
        from rapport.customers.models import Account

        exact = self._by_name(Account, "account", "name", texts)
        missing = {t for t, hit in exact.items() if hit is None}
        if not missing:
            return exact
        # Company key ("ACME Inc." = "Acme") or web domain ("acme.com"), through the accounts'
        # duplicate-check keys: one query.
        keys: dict[str, str] = {}
        for text in missing:
            if "." in text and " " not in text:
                keys[text] = f"d:{domain_of(text)}"
            else:
                keys[text] = f"k:{company_key(text)}"
        ids_by_key: dict[str, set[int]] = {}
        for key, object_id in MatchKey.objects.filter(
            record_type="account", key__in=set(keys.values())
        ).values_list("key", "object_id"):
            ids_by_key.setdefault(key, set()).add(object_id)
        all_ids = set().union(*ids_by_key.values()) if ids_by_key else set()
        accounts = {
            a.pk: a for a in self._scoped("account", Account.objects.filter(pk__in=all_ids))
        }
        for text, key in keys.items():
            candidates = [accounts[i] for i in sorted(ids_by_key.get(key, ())) if i in accounts]
            exact[text] = _one(candidates, text)
        return exact

    def _people(self, target: Any, texts: set[str]) -> dict[str, Any]:
        record_type = "contact" if target.__name__ == "Contact" else "lead"
        emails = {t for t in texts if "@" in t}
        names = texts - emails
        condition = Q(email__in=emails) | Q(
            pk__in={int(t.lstrip("#")) for t in names if t.lstrip("#").isdigit()}
        )
        split = {t: split_person_name(t) for t in names if not t.lstrip("#").isdigit()}
        for first, last in set(split.values()):
            condition |= Q(first_name__iexact=first, last_name__iexact=last)
        by_text: dict[str, list[Any]] = {}
        for record in self._scoped(record_type, target.objects.filter(condition)):
            by_text.setdefault(_fold(record.email), []).append(record)
            by_text.setdefault(f"#{record.pk}", []).append(record)
            by_text.setdefault(_fold(f"{record.first_name} {record.last_name}"), []).append(record)
        found: dict[str, Any] = {}
        for text in texts:
            if text in split:
                first, last = split[text]
                key = _fold(f"{first} {last}")
            elif "@" in text:
                key = _fold(text)
            else:
                key = f"#{text.lstrip('#')}"
            found[text] = _one(by_text.get(key, []), text)
        return found


def _one(candidates: list[Any], text: str) -> Any:
    unique = list({c.pk: c for c in candidates}.values())
    if len(unique) == 1:
        return unique[0]
    if not unique:
        return None
    ids = ", ".join(f"#{c.pk}" for c in unique[:5])
    return f"“{text}” matches several records ({ids}); give the exact name or the ID."


# --- the pipeline -----------------------------------------------------------------------------


def _error_messages(error: ValidationError) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            for item in errors:
                for message in item.messages:
                    found.append(
                        {"field": "" if name == NON_FIELD_ERRORS else name, "message": message}
                    )
    else:
        found.extend({"field": "", "message": message} for message in error.messages)
    return found


class FileMemory:
    """Keys of earlier accepted rows of the file → (line, person), bounded to `capacity` rows."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.rows: OrderedDict[int, tuple[Any, tuple[str, ...]]] = OrderedDict()
        self.by_key: dict[str, list[int]] = {}

    def add(self, line: int, person: Any, keys: Iterable[str]) -> None:
        key_tuple = tuple(keys)
        self.rows[line] = (person, key_tuple)
        for key in key_tuple:
            self.by_key.setdefault(key, []).append(line)
        while len(self.rows) > self.capacity:
            old_line, (_person, old_keys) = self.rows.popitem(last=False)
            for key in old_keys:
                lines = self.by_key.get(key)
                if lines is not None:
                    if old_line in lines:
                        lines.remove(old_line)
                    if not lines:
                        del self.by_key[key]

    def candidates(self, keys: Iterable[str]) -> dict[int, Any]:
        found: dict[int, Any] = {}
        for key in keys:
            for line in self.by_key.get(key, ()):
                found[line] = self.rows[line][0]
        return found

    def clear(self) -> None:
        self.rows.clear()
        self.by_key.clear()


class Pipeline:
    """One import's checks and writes, chunk by chunk."""

    def __init__(self, *, batch: ImportBatch, acting_user: Any, dry_run: bool) -> None:
        self.batch = batch
        self.record_type = batch.record_type
        self.model: Any = records.get(self.record_type).model
        self.acting_user = acting_user
        self.dry_run = dry_run
        self.options = Options.from_dict(batch.options)
        self.mapping = {h: n for h, n in (batch.mapping or {}).items() if n}
        self.converter = Converter(
            record_type=self.record_type,
            mapping=self.mapping,
            options=self.options,
            acting_user=acting_user,
            excel=batch.file_format == "xlsx",
        )
        self.mapped = set(self.mapping.values())
        normalizers, validators, after_save = crud.write_hooks(self.record_type)
        self.normalizers = normalizers
        self.validators = [v for v in validators if v is not rules.enforce_rules]
        self.check_rules = rules.enforce_rules in validators
        self.after_save = [
            h for h in after_save if h not in (dedupe.keys_update, scores.score_refresh_one)
        ]
        self.write_keys = dedupe.keys_update in after_save
        self.write_scores = scores.score_refresh_one in after_save
        self.dedupe = self.record_type in DEDUPE_TYPES
        self.threshold, self.weights, active = dedupe.rule_for(self.record_type)
        self.dedupe = self.dedupe and active
        self.memory = FileMemory(FILE_MEMORY_ROWS)
        self.prefilter = _filter_is_exact(self.weights, self.threshold)
        self.name_keys = matching.name_keys_needed(self.weights, self.threshold)
        # Candidates met before, as matching.Person / Company (a big file meets the same
        # records again and again), bounded.
        self.people_cache: dict[tuple[str, int], tuple[Any, str]] = {}
        self.unique_fields = [
            f.name
            for f in self.model._meta.concrete_fields
            if f.unique and f.name in self.mapped and not f.primary_key
        ]
        self.seen_unique: dict[str, dict[Any, int]] = {name: {} for name in self.unique_fields}
        self.match_field = self._match_field()
        # Fields of the model validated per chunk rather than per row by full_clean.
        self.fk_names = [
            f.name for f in self.model._meta.concrete_fields if isinstance(f, models.ForeignKey)
        ]
        self.has_country = any(f.name == "country" for f in self.model._meta.concrete_fields)
        self.history = mapping_module.may_keep_history(acting_user) and bool(
            self.mapped & set(mapping_module.HISTORY_FIELDS)
        )
        self.audit_mark = AUDIT_MARK.format(pk=batch.pk)

    def _match_field(self) -> str:
        chosen = self.options.match_on
        if chosen:
            return chosen
        if mapping_module.ID_FIELD in self.mapped:
            return mapping_module.ID_FIELD
        if "external_id" in self.mapped:
            return "external_id"
        return ""

    # Checking ----------------------------------------------------------------------------------

    def check(self, rows: list[reading.SourceRow]) -> list[RowResult]:
        """Convert, validate and match one chunk of rows (no writes)."""
        results = [RowResult(line=row.line, cells=row.cells) for row in rows]
        pending: list[dict[str, str]] = []
        for row, result in zip(rows, results, strict=True):
            for issue in row.issues:
                result.reject(self.mapping.get(issue.column or "", ""), issue.message)
            pending.append(self.converter.convert(result))
        self.converter.resolve(results, pending)
        rule_list = rules.active_rules(self.record_type) if self.check_rules else []
        hidden = (
            permissions.hidden_fields_of(self.acting_user, self.record_type)
            if getattr(self.acting_user, "pk", None)
            else frozenset()
        )
        for result in results:
            if not result.errors:
                self._prepare(result, rule_list, hidden)
        self._check_unique(results)
        self._match_exact(results)
        if self.dedupe:
            self._match_scored(results)
        return results

    def _build(self, result: RowResult) -> Any:
        obj = self.model()
        for name, value in result.values.items():
            if name == mapping_module.ID_FIELD:
                continue
            setattr(obj, name, value)
        if (
            "owner" not in result.values
            and any(f.name == "owner" for f in self.model._meta.concrete_fields)
            and getattr(self.acting_user, "pk", None)
        ):
            obj.owner = self.acting_user
        return obj

    def _prepare(self, result: RowResult, rule_list: list[Any], hidden: frozenset[str]) -> None:
        obj = self._build(result)
        result.obj = obj
        try:
            for hook in self.normalizers:
                hook(obj, self.acting_user)
            if self.record_type in FAST_TYPES:
                # Relations were resolved (and scoped) per chunk; unique values and constraints
                # are checked per chunk below, not with a query per row.
                obj.full_clean(
                    exclude=self._clean_exclude(obj),
                    validate_unique=False,
                    validate_constraints=False,
                )
                for hook in self.validators:
                    hook(obj, self.acting_user)
                _rule_errors(rule_list, obj, hidden)
        except ValidationError as error:
            result.errors.extend(_error_messages(error))
            return
        if self.dedupe:
            if self.record_type == "account":
                company = matching.company_of(obj)
                result.person = company
                result.keys = matching.company_keys_of(company)
            else:
                person = matching.person_of(obj)
                result.person = person
                result.keys = matching.keys_of(person)

    def _clean_exclude(self, obj: Any) -> list[str]:
        """Fields full_clean need not check again: relations (resolved and scoped per chunk)
        and a country the normaliser already turned into a known code (the country field's
        choice check walks 250 choices per row)."""
        if self.has_country and str(obj.country or "") in _COUNTRY_CODES:
            return [*self.fk_names, "country"]
        return self.fk_names

    def _check_unique(self, results: list[RowResult]) -> None:
        for name in self.unique_fields:
            if name == self.match_field:
                continue  # the match key finds the record instead
            wanted = {
                getattr(r.obj, name): r for r in results if not r.errors and getattr(r.obj, name)
            }
            taken = set(
                self.model._base_manager.filter(**{f"{name}__in": list(wanted)}).values_list(
                    name, flat=True
                )
            )
            label = str(self.model._meta.get_field(name).verbose_name)
            seen = self.seen_unique[name]
            for result in results:
                if result.errors or result.obj is None:
                    continue
                value = getattr(result.obj, name)
                if not value:
                    continue
                if value in taken:
                    result.reject(
                        name, f"{label.capitalize()} “{value}” is already used by another record."
                    )
                elif value in seen:
                    result.reject(
                        name,
                        f"{label.capitalize()} “{value}” is already used on line "
                        f"{seen[value]} of the file.",
                    )
                else:
                    seen[value] = result.line

    def _match_exact(self, results: list[RowResult]) -> None:
        name = self.match_field
        if not name:
            return
        attribute = "pk" if name == mapping_module.ID_FIELD else name
        wanted: dict[Any, list[RowResult]] = {}
        for result in results:
            if result.errors:
                continue
            if name == mapping_module.ID_FIELD:
                value = result.values.get(name)
            else:
                value = (
                    getattr(result.obj, name, None)
                    if result.obj is not None
                    else result.values.get(name)
                )
            if value not in (None, ""):
                wanted.setdefault(value, []).append(result)
        if not wanted:
            return
        queryset = self.model.objects.filter(**{f"{attribute}__in": list(wanted)})
        existing: dict[Any, list[Any]] = {}
        for record in self._scoped(queryset):
            existing.setdefault(getattr(record, attribute), []).append(record)
        label = "ID" if attribute == "pk" else str(self.model._meta.get_field(name).verbose_name)
        for value, found_rows in wanted.items():
            records_found = existing.get(value, [])
            if len(records_found) > 1:
                for result in found_rows:
                    result.reject(name, f"{label} “{value}” matches {len(records_found)} records.")
                continue
            for result in found_rows:
                if records_found:
                    record = records_found[0]
                    result.existing = record
                    result.matched_type = self.record_type
                    result.matched_id = record.pk
                    result.matched_name = str(record)
                    result.score = 1.0
                    result.match_reasons = [f"same {label}"]

    def _scoped(self, queryset: Any) -> Any:
        if self.acting_user is None:
            return queryset
        return permissions.scope_queryset(self.acting_user, self.record_type, queryset)

    def _match_scored(self, results: list[RowResult]) -> None:
        open_rows = [r for r in results if not r.errors and r.matched_id is None and r.keys]
        targets = dedupe.TARGETS[self.record_type]
        hits = _key_hits(open_rows, targets, prefilter=self.prefilter, name_keys=self.name_keys)
        wanted_ids: dict[str, set[int]] = {}
        for found in hits.values():
            for hit_type, object_id in found:
                wanted_ids.setdefault(hit_type, set()).add(object_id)
        people: dict[tuple[str, int], Any] = {}
        names: dict[tuple[str, int], str] = {}
        cache = self.people_cache
        for hit_type, ids in wanted_ids.items():
            missing = [i for i in ids if (hit_type, i) not in cache]
            if missing:
                hit_model: Any = records.get(hit_type).model
                queryset = hit_model.objects.filter(pk__in=missing)
                if self.acting_user is not None:
                    queryset = permissions.scope_queryset(self.acting_user, hit_type, queryset)
                if len(cache) > PEOPLE_CACHE:
                    cache.clear()
                for row in dedupe.rows_of(hit_type, queryset):
                    if hit_type == "account":
                        name = str(row.get("name") or "")
                        other: Any = matching.company_from_row(row)
                    else:
                        name = f"{row.get('first_name') or ''} {row.get('last_name') or ''}"
                        other = matching.person_from_row(row)
                    cache[(hit_type, row["id"])] = (other, name.strip())
            for object_id in ids:
                cached = cache.get((hit_type, object_id))
                if cached is not None:
                    people[(hit_type, object_id)] = cached[0]
                    names[(hit_type, object_id)] = cached[1]
        batch_lines = self._lines_of_created(
            {object_id for (hit_type, object_id) in people if hit_type == self.record_type}
        )
        if self.dry_run is False:
            self.memory.clear()  # earlier chunks are in the database
        for result in open_rows:
            best: tuple[float, str, int, list[str]] | None = None
            for hit in hits.get(result.line, ()):
                other = people.get(hit)
                if other is None:
                    continue
                match = self._score(result.person, other)
                if match.score >= self.threshold and (best is None or match.score > best[0]):
                    best = (match.score, hit[0], hit[1], match.reasons)
            in_file: tuple[float, int, list[str]] | None = None
            for line, other in self.memory.candidates(self._lookup_keys(result.keys)).items():
                match = self._score(result.person, other)
                if match.score >= self.threshold and (in_file is None or match.score > in_file[0]):
                    in_file = (match.score, line, match.reasons)
            if best is not None and (in_file is None or best[0] >= in_file[0]):
                score, hit_type, object_id, reasons = best
                result.matched_type = hit_type
                result.matched_id = object_id
                result.matched_name = names.get((hit_type, object_id), "")
                result.matched_line = (
                    batch_lines.get(object_id) if hit_type == self.record_type else None
                )
                result.score = score
                result.match_reasons = dedupe.visible_reasons(self.acting_user, hit_type, reasons)
            elif in_file is not None:
                score, line, reasons = in_file
                result.matched_line = line
                result.score = score
                result.match_reasons = [f"line {line} of the file: " + ", ".join(reasons)]
            if result.matched_id is None and result.matched_line is None:
                self.memory.add(result.line, result.person, self._lookup_keys(result.keys))

    def _lookup_keys(self, keys: set[str]) -> set[str]:
        """The keys candidates are found by, as in the entry check (`candidate_keys`)."""
        return matching.candidate_keys(keys, self.weights, self.threshold)

    def _score(self, wanted: Any, other: Any) -> matching.Match:
        if self.record_type == "account":
            return matching.score_companies(wanted, other, self.weights)
        return matching.score_people(wanted, other, self.weights)

    def _lines_of_created(self, ids: set[int]) -> dict[int, int]:
        if not ids or self.dry_run:
            return {}
        return dict(
            ImportRow.objects.filter(  # type: ignore[arg-type]
                batch=self.batch, action=ImportRow.Action.CREATED, object_id__in=ids
            ).values_list("object_id", "line")
        )

    # Writing -----------------------------------------------------------------------------------

    def decide(self, results: list[RowResult]) -> None:
        """The action of each row for the batch's duplicate mode (nothing written yet)."""
        mode = self.batch.duplicate_mode
        for result in results:
            verdict = result.verdict
            if verdict == ImportRow.Verdict.REJECTED:
                result.action = ""
            elif verdict == ImportRow.Verdict.ACCEPTED or (
                mode == ImportBatch.DuplicateMode.CREATE and result.existing is None
            ):
                result.action = ImportRow.Action.CREATED
            elif (
                mode == ImportBatch.DuplicateMode.UPDATE
                and result.matched_id is not None
                and result.matched_type == self.record_type
            ):
                result.action = ImportRow.Action.UPDATED
            else:
                result.action = ImportRow.Action.SKIPPED

    def write(self, results: list[RowResult]) -> None:
        """Write one checked chunk (inside the caller's transaction)."""
        creates = [r for r in results if r.action == ImportRow.Action.CREATED]
        if self.record_type in FAST_TYPES:
            self._bulk_create(creates)
        else:
            for result in creates:
                self._service_create(result)
        for result in results:
            if result.action == ImportRow.Action.UPDATED:
                self._update(result)

    def _bulk_create(self, creates: list[RowResult]) -> None:
        if not creates:
            return
        objs = [r.obj for r in creates]
        now = timezone.now()
        for obj in objs:
            if not (self.history and "created_at" in self.mapped and obj.created_at):
                obj.created_at = now
        self.model.objects.bulk_create(objs, batch_size=1000)
        for result in creates:
            result.matched_line = result.matched_line  # keep the in-file note for duplicates
        if self.write_keys:
            insert_rows(
                MatchKey,
                ("record_type", "object_id", "key"),
                [
                    (self.record_type, r.obj.pk, key[:200])
                    for r in creates
                    for key in sorted(r.keys)
                ],
            )
        self._audit_created(objs)
        if self.write_scores:
            _scores_refresh(self.record_type, [o.pk for o in objs])
        for hook in self.after_save:
            for obj in objs:
                hook(obj, self.acting_user)

    def _audit_created(self, objs: list[Any]) -> None:
        actor_id = self.acting_user.pk if getattr(self.acting_user, "pk", None) else None
        now = timezone.now()
        insert_rows(
            AuditEntry,
            ("record_type", "object_id", "object_repr", "action", "actor", "at", "changes",
             "request_id"),
            [
                (self.record_type, obj.pk, str(obj)[:255], AuditEntry.Action.CREATE, actor_id,
                 now, audit.created(obj), self.audit_mark)
                for obj in objs
            ],
        )  # fmt: skip

    def _service_values(self, result: RowResult) -> dict[str, Any]:
        return {
            name: value
            for name, value in result.values.items()
            if name not in (mapping_module.ID_FIELD, "created_at")
        }

    def _service_create(self, result: RowResult) -> None:
        create = _create_service(self.record_type)
        try:
            with transaction.atomic():
                obj = create(acting_user=self.acting_user, values=self._service_values(result))
        except ValidationError as error:
            result.errors.extend(_error_messages(error))
            result.action = ""
            return
        created_at = result.values.get("created_at")
        if self.history and created_at:
            self.model._base_manager.filter(pk=obj.pk).update(created_at=created_at)
        result.obj = obj

    def _update(self, result: RowResult) -> None:
        obj = self.model._base_manager.select_for_update().get(pk=result.matched_id)
        values = self._service_values(result)
        if result.obj is not None and self.record_type in FAST_TYPES:
            # The normalised values, as the row was checked.
            values = {name: getattr(result.obj, name) for name in values}
        names = [n for n in values if n not in ("owner",) or self.history]
        values = {n: values[n] for n in names}
        result.previous = _previous(obj, list(values))
        result.previous["updated_at"] = obj.updated_at.isoformat() if obj.updated_at else None
        update = _update_service(self.record_type)
        try:
            with transaction.atomic():
                update(acting_user=self.acting_user, obj=obj, values=values)
        except ValidationError as error:
            result.errors.extend(_error_messages(error))
            result.action = ""
            result.previous = {}
            return
        result.obj = obj
        self.people_cache.pop((self.record_type, obj.pk), None)

    def import_rows(self, results: list[RowResult]) -> list[ImportRow]:
        """The ImportRow of every row worth keeping (all of them in a commit: created ids too)."""
        kept: list[ImportRow] = []
        for result in results:
            verdict = result.verdict
            if self.dry_run and verdict == ImportRow.Verdict.ACCEPTED and not result.notes:
                continue
            object_id = None
            if (
                not self.dry_run
                and result.action in (ImportRow.Action.CREATED, ImportRow.Action.UPDATED)
                and result.obj is not None
            ):
                object_id = result.obj.pk
            kept.append(
                ImportRow(
                    batch=self.batch,
                    line=result.line,
                    verdict=verdict,
                    action="" if self.dry_run else result.action,
                    reasons=result.reasons,
                    object_id=object_id,
                    matched_type=result.matched_type,
                    matched_id=result.matched_id,
                    matched_line=result.matched_line,
                    score=result.score,
                    previous=result.previous,
                )
            )
        return kept


IMPORT_ROW_FIELDS = (
    "batch", "line", "verdict", "action", "reasons", "object_id", "matched_type", "matched_id",
    "matched_line", "score", "previous",
)  # fmt: skip


def _insert_import_rows(rows: list[ImportRow]) -> None:
    insert_rows(
        ImportRow,
        IMPORT_ROW_FIELDS,
        [
            (r.batch_id, r.line, r.verdict, r.action, r.reasons, r.object_id, r.matched_type,
             r.matched_id, r.matched_line, r.score, r.previous)
            for r in rows
        ],
    )  # fmt: skip


def insert_rows(model: Any, names: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Append rows to a table whose ids nobody needs back: COPY on PostgreSQL (a tenth of the
    ORM's cost per row), bulk_create elsewhere. `names` are field names; a foreign key takes
    the related id, a JSON field its Python value."""
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in names]
    if connection.vendor != "postgresql":
        attnames = [f.attname for f in fields]
        model.objects.bulk_create(
            [model(**dict(zip(attnames, row, strict=True))) for row in rows], batch_size=1000
        )
        return
    from psycopg.types.json import Jsonb

    json_at = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            if json_at:
                values = list(row)
                for i in json_at:
                    values[i] = Jsonb(values[i])
                copy.write_row(values)
            else:
                copy.write_row(row)


def _rule_errors(rule_list: list[Any], obj: Any, hidden: frozenset[str]) -> None:
    """The validation rules' crud validator (`rules.enforce_rules`), with the rules read once
    per chunk instead of once per row: the same checks and the same messages."""
    errors: dict[str, list[str]] = {}
    for rule in rule_list:
        if rules.is_violated(rule, obj):
            if hidden & set(rule.fields):
                text = f"This record breaks the rule “{rule.name}”; ask an administrator."
                keys: tuple[str, ...] = ("__all__",)
            else:
                text = f"{rule.message} (rule “{rule.name}”)"
                keys = rule.fields or ("__all__",)
            for name in keys:
                errors.setdefault(name, []).append(text)
    if errors:
        raise ValidationError(errors)


def _local_part_sql(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"split_part(lower({column}), '@', 1)"
    return f"lower(substr({column}, 1, instr({column}, '@') - 1))"


# Per target type: (table, birthdate column or None, e-mail columns) for the cheap filter.
_PERSON_COLUMNS: dict[str, tuple[str, str | None, tuple[str, ...]]] = {
    "contact": ("customers_contact", "birthdate", ("email", "secondary_email")),
    "lead": ("leads_lead", None, ("email",)),
}


def _filter_is_exact(weights: matching.Weights, threshold: float) -> bool:
    """Whether a pair sharing no e-mail or phone, and with neither the birthdate, the e-mail
    local part nor the postal code in common, can never reach the threshold with these
    weights (then such pairs need not be scored: `_key_hits` leaves them out)."""
    best = (
        weights.bias
        + max(weights.name, weights.nickname, weights.transposed, 0.0)
        + max(weights.company, 0.0)
    )
    return matching._squash(best) < threshold  # the scorer's own curve


def _row_info(row: RowResult) -> tuple[int, str, str, str, str]:
    person = row.person
    locals_ = [e.split("@", 1)[0] for e in getattr(person, "emails", ())] + ["", ""]
    birthdate = getattr(person, "birthdate", None)
    return (
        row.line,
        birthdate.isoformat() if birthdate else "",
        locals_[0],
        locals_[1],
        getattr(person, "postal_code", ""),
    )


def _key_hits(
    rows: list[RowResult], targets: tuple[str, ...], *, prefilter: bool, name_keys: bool = True
) -> dict[int, list[tuple[str, int]]]:
    """line → the records sharing most keys with the row (at most dedupe.CANDIDATE_LIMIT, the
    entry check's candidate rule), set-based: one statement per target type and
    `KEY_QUERY_ROWS` rows.

    With `prefilter`, person candidates that share no e-mail or phone key and have neither the
    birthdate, an e-mail local part nor the postal code in common are left out in SQL: with
    the rule's weights they cannot reach its threshold (`_filter_is_exact`), and in a big file
    the surname blocks hold hundreds of such people per row.
    """
    table = MatchKey._meta.db_table
    hits: dict[int, list[tuple[str, int]]] = {}
    for start in range(0, len(rows), KEY_QUERY_ROWS):
        part = rows[start : start + KEY_QUERY_ROWS]
        # The entry check's candidates: records sharing a key that can make a duplicate.
        pairs = [
            (r.line, key[:200]) for r in part for key in sorted(r.keys) if matching.is_scan_key(key)
        ]
        if not pairs:
            continue
        values_sql = ", ".join(["(%s, %s)"] * len(pairs))
        key_params: list[Any] = [v for pair in pairs for v in pair]
        for target in targets:
            # Only %s parameters and the models' own table and column names are formatted in.
            ranked = (
                f"WITH wanted(line, k) AS (VALUES {values_sql}), "  # noqa: S608
                "ranked AS ("
                " SELECT w.line AS line, m.object_id AS object_id,"
                " MAX(CASE WHEN substr(m.key, 1, 2) IN ('e:', 'p:') THEN 1 ELSE 0 END) AS strong,"
                " COUNT(*) AS shared,"
                " ROW_NUMBER() OVER (PARTITION BY w.line ORDER BY COUNT(*) DESC, m.object_id)"
                " AS rn"
                f" FROM wanted w JOIN {table} m ON m.key = w.k"
                " WHERE m.record_type = %s"
                " GROUP BY w.line, m.object_id)"
            )
            params = [*key_params, target]
            columns = _PERSON_COLUMNS.get(target)
            if prefilter and columns is not None:
                target_table, birth_column, email_columns = columns
                info = [_row_info(r) for r in part if r.keys]
                info_sql = ", ".join(["(%s, %s, %s, %s, %s)"] * len(info))
                same_local = " OR ".join(
                    f"(i.l{n} <> '' AND {_local_part_sql('c.' + column)} = i.l{n})"
                    for column in email_columns
                    for n in (1, 2)
                )
                same_birth = (
                    f"(i.bd <> '' AND CAST(c.{birth_column} AS TEXT) = i.bd) OR "
                    if birth_column
                    else ""
                )
                with_info = f"WITH info(line, bd, l1, l2, pc) AS (VALUES {info_sql}), "
                joined = f" JOIN {target_table} c ON c.id = r.object_id"
                plausible = (
                    f"{same_birth}{same_local} OR "
                    "(i.pc <> '' AND lower(replace(c.postal_code, ' ', '')) = i.pc)"
                )
                sql = "".join(
                    [
                        ranked.replace("WITH ", with_info, 1),
                        " SELECT r.line, r.object_id FROM ranked r JOIN info i ON i.line = r.line",
                        joined,
                        " WHERE r.rn <= %s AND (r.strong = 1 OR r.shared >= 3 OR ",
                        plausible,
                        ")",
                    ]
                )
                params = [v for row in info for v in row] + params
            else:
                sql = "".join(
                    [ranked, " SELECT r.line, r.object_id FROM ranked r WHERE r.rn <= %s"]
                )
            params.append(dedupe.CANDIDATE_LIMIT)
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                for line, object_id in cursor.fetchall():
                    hits.setdefault(int(line), []).append((target, int(object_id)))
    return hits


def _scores_refresh(record_type: str, ids: list[int]) -> None:
    """The scores app's after-save hook for a chunk: one facts query, one upsert."""
    if record_type not in scoring.SCORED_TYPES or not ids:
        return
    rows = scoring.rows_for(record_type, scoring.base_queryset(record_type).filter(pk__in=ids))
    now = timezone.now()
    QualityScore.objects.bulk_create(
        [
            QualityScore(
                record_type=s.record_type,
                object_id=s.object_id,
                object_repr=s.object_repr,
                owner_id=s.owner_id,
                team_id=s.team_id,
                score=s.score,
                issues=[issue.as_json() for issue in s.issues],
                computed_at=now,
            )
            for s in scoring.score_rows(record_type, list(rows), now=now)
        ],
        update_conflicts=True,
        unique_fields=["record_type", "object_id"],
        update_fields=["object_repr", "owner", "team", "score", "issues", "computed_at"],
    )


def _create_service(record_type: str) -> Callable[..., Any]:
    if record_type == "lead":
        from rapport.leads.services import lead_create

        return lead_create
    if record_type == "opportunity":
        from rapport.pipeline.services import opportunity_create

        return opportunity_create
    from rapport.activities.services import activity_create

    return activity_create


def _update_service(record_type: str) -> Callable[..., Any]:
    """update(acting_user=, obj=, values=) through the type's own service."""
    if record_type == "lead":
        from rapport.leads.services import lead_update

        return lambda *, acting_user, obj, values: lead_update(
            acting_user=acting_user, lead=obj, values=values
        )
    if record_type == "opportunity":
        from rapport.pipeline.services import opportunity_update

        return lambda *, acting_user, obj, values: opportunity_update(
            acting_user=acting_user, opportunity=obj, values=values
        )
    if record_type == "activity":
        from rapport.activities.services import activity_update

        return lambda *, acting_user, obj, values: activity_update(
            acting_user=acting_user, activity=obj, values=values
        )
    if record_type == "account":
        from rapport.customers.services import account_update

        return lambda *, acting_user, obj, values: account_update(
            acting_user=acting_user, account=obj, values=values
        )
    return lambda *, acting_user, obj, values: crud.record_update(
        record_type=record_type, obj=obj, acting_user=acting_user, values=values
    )


# --- JSON of previous values ------------------------------------------------------------------


def _json(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _previous(obj: Any, names: list[str]) -> dict[str, Any]:
    """{attname: JSON value} of the fields an update is about to change."""
    previous: dict[str, Any] = {}
    for name in names:
        model_field = obj._meta.get_field(name)
        previous[model_field.attname] = _json(model_field.value_from_object(obj))
    return previous


def _restore(obj: Any, previous: Mapping[str, Any]) -> list[str]:
    """Put the previous values back on the instance; returns the attnames restored."""
    restored: list[str] = []
    by_attname = {f.attname: f for f in obj._meta.concrete_fields}
    for attname, value in previous.items():
        if attname == "updated_at" or attname not in by_attname:
            continue
        model_field = by_attname[attname]
        setattr(obj, attname, None if value is None else model_field.to_python(value))
        restored.append(attname)
    return restored


# --- running a batch --------------------------------------------------------------------------


def _chunks(rows: Iterator[reading.SourceRow], size: int) -> Iterator[list[reading.SourceRow]]:
    chunk: list[reading.SourceRow] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def open_batch_table(batch: ImportBatch) -> reading.Table:
    return reading.open_table(batch.file.path, file_name=batch.file_name, limits=reading.Limits())


def _add_counts(batch: ImportBatch, summary: Summary) -> None:
    batch.accepted += summary.accepted
    batch.rejected += summary.rejected
    batch.duplicates += summary.duplicates
    batch.created += summary.created
    batch.updated += summary.updated
    batch.skipped += summary.skipped
    batch.rows_done += summary.rows


COUNTERS = ["accepted", "rejected", "duplicates", "created", "updated", "skipped", "rows_done"]


def _reset_counts(batch: ImportBatch) -> None:
    for name in COUNTERS:
        setattr(batch, name, 0)


def preview(*, batch: ImportBatch, acting_user: Any, limit: int) -> list[RowResult]:
    """The first `limit` rows checked as a dry run would (nothing written)."""
    pipeline = Pipeline(batch=batch, acting_user=acting_user, dry_run=True)
    rows: list[reading.SourceRow] = []
    for row in open_batch_table(batch).rows():
        rows.append(row)
        if len(rows) >= limit:
            break
    results = pipeline.check(rows)
    pipeline.decide(results)
    if batch.record_type in SERVICE_TYPES:
        with transaction.atomic():
            sid = transaction.savepoint_create()
            pipeline.write(results)
            transaction.savepoint_rollback(sid)
    return results


def run_dry(*, batch: ImportBatch, acting_user: Any, progress: Progress | None = None) -> Summary:
    """Check every row and store the report (ImportRows); nothing else is written."""
    pipeline = Pipeline(batch=batch, acting_user=acting_user, dry_run=True)
    summary = Summary()
    ImportRow.objects.filter(batch=batch).delete()
    _reset_counts(batch)
    total = batch.rows_total
    for rows in _chunks(open_batch_table(batch).rows(), CHUNK):
        results = pipeline.check(rows)
        pipeline.decide(results)
        with transaction.atomic():
            if batch.record_type in SERVICE_TYPES:
                # Their services decide (status and stage rules, activity links): run them and
                # undo, so a dry run says exactly what a commit will do.
                sid = transaction.savepoint_create()
                pipeline.write(results)
                transaction.savepoint_rollback(sid)
            chunk_summary = Summary()
            for result in results:
                chunk_summary.add(result)
                summary.add(result)
            _insert_import_rows(pipeline.import_rows(results))
            _add_counts(batch, chunk_summary)
            batch.save(update_fields=[*COUNTERS, "updated_at"])
        if settings.DEBUG:  # Django would keep every chunk's SQL (tests capture it: not reset)
            reset_queries()
        if progress is not None:
            progress(summary.rows, total, f"Checked {summary.rows:,} rows")
        if _cancel_requested(batch):
            raise ImportCancelledError
    batch.rows_total = summary.rows
    return summary


class ImportCancelledError(Exception):
    """Someone asked the batch to stop."""


def _cancel_requested(batch: ImportBatch) -> bool:
    return bool(
        ImportBatch.objects.filter(pk=batch.pk).values_list("cancel_requested", flat=True).first()
    )


class _Statistics:
    """Keeps PostgreSQL's planner statistics of the match keys current during a big import.

    A bulk load grows the key table faster than autovacuum re-analyses it; with stale counts
    the planner reads every key of the type for each chunk's candidate statement (merge join
    over a sort of the whole table: seconds per chunk, growing with the table) instead of a few
    index lookups per row. So the table is analysed again each time the import has added about
    a fifth of what it held (ANALYZE samples: a fraction of a second).
    """

    def __init__(self) -> None:
        self.written = 0
        self.analysed_at = 0
        self.baseline = self._estimate()

    @staticmethod
    def _estimate() -> int:
        if connection.vendor != "postgresql":
            return 0
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT GREATEST(reltuples, 0)::bigint FROM pg_class WHERE relname = %s",
                [MatchKey._meta.db_table],
            )
            row = cursor.fetchone()
        return int(row[0]) if row else 0

    def refresh_if_grown(self) -> None:
        if connection.vendor != "postgresql":
            return  # SQLite plans these lookups by the index regardless
        grown = self.written - self.analysed_at
        if grown < max(ANALYZE_EVERY_ROWS, self.baseline // 5 // KEYS_PER_ROW):
            return
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {MatchKey._meta.db_table}")
        self.analysed_at = self.written
        self.baseline = self._estimate()


# Re-analyse the match keys after at least this many imported rows (and a fifth of the table).
ANALYZE_EVERY_ROWS = 20_000
KEYS_PER_ROW = 6  # about, for turning the key table's size into records


def run_commit(
    *, batch: ImportBatch, acting_user: Any, progress: Progress | None = None
) -> Summary:
    """Write the batch chunk by chunk, resuming after `committed_through` if it was cut short.

    valid_only: each chunk in its own transaction. all_or_nothing: one transaction for the whole
    file, rolled back (CommitRefusedError) at the first rejected row.
    """
    pipeline = Pipeline(batch=batch, acting_user=acting_user, dry_run=False)
    all_or_nothing = batch.commit_mode == ImportBatch.CommitMode.ALL_OR_NOTHING
    if batch.committed_through == 0:
        ImportRow.objects.filter(batch=batch).delete()
        _reset_counts(batch)
        batch.save(update_fields=[*COUNTERS, "updated_at"])
    resume_after = batch.committed_through
    total = batch.rows_total
    rows = (row for row in open_batch_table(batch).rows() if row.line > resume_after)

    statistics = _Statistics()

    def commit_chunk(chunk: list[reading.SourceRow]) -> None:
        statistics.refresh_if_grown()
        results = pipeline.check(chunk)
        pipeline.decide(results)
        with transaction.atomic():
            pipeline.write(results)
            chunk_summary = Summary()
            for result in results:
                chunk_summary.add(result)
            if all_or_nothing and chunk_summary.rejected:
                first = next(r for r in results if r.errors)
                reason = first.errors[0]["message"]
                raise CommitRefusedError(
                    f"Nothing was imported: line {first.line} is rejected ({reason}), and the "
                    "import is all-or-nothing."
                )
            _insert_import_rows(pipeline.import_rows(results))
            _add_counts(batch, chunk_summary)
            batch.committed_through = chunk[-1].line
            batch.save(update_fields=[*COUNTERS, "committed_through", "updated_at"])
        statistics.written += chunk_summary.accepted
        if settings.DEBUG:  # Django would keep every chunk's SQL (tests capture it: not reset)
            reset_queries()
        if progress is not None:
            progress(batch.rows_done, total, f"Imported {batch.rows_done:,} rows")

    if all_or_nothing:
        with transaction.atomic():
            for chunk in _chunks(rows, CHUNK):
                commit_chunk(chunk)
    else:
        for chunk in _chunks(rows, CHUNK):
            commit_chunk(chunk)
            if _cancel_requested(batch):
                raise ImportCancelledError
    batch.rows_total = batch.rows_done
    return Summary.of(batch)


# --- rollback ---------------------------------------------------------------------------------


class RollbackRefusedError(Exception):
    """Created records gained related records since; str() names them."""


# Rows a record's own create service writes with it (its first status or stage history entry,
# the methodology step it prompts): deleted with the record, not "related records gained since".
OWN_HISTORY = frozenset(
    {"leads.leadstatuschange", "pipeline.stagechange", "pipeline.opportunitystep"}
)


def _blocking(model: type[models.Model], ids: list[int]) -> list[str]:
    """Descriptions of records that deleting `ids` would delete too or that forbid it."""
    objs = list(model._base_manager.filter(pk__in=ids))
    collector = Collector(using=router.db_for_write(model), origin=None)
    try:
        collector.collect(objs)
    except (ProtectedError, RestrictedError) as error:
        blocked = getattr(error, "protected_objects", None) or getattr(
            error, "restricted_objects", []
        )
        return [f"{type(o)._meta.verbose_name} “{o}”" for o in list(blocked)[:10]]
    found: list[str] = []
    for other_model, instances in collector.data.items():
        if other_model is model or other_model._meta.label_lower in OWN_HISTORY:
            continue
        found.extend(f"{other_model._meta.verbose_name} “{o}”" for o in list(instances)[:10])
    for queryset in collector.fast_deletes:
        if queryset.model is model or queryset.model._meta.label_lower in OWN_HISTORY:
            continue
        found.extend(f"{queryset.model._meta.verbose_name} “{o}”" for o in queryset[:10])
    return found[:10]


def run_rollback(*, batch: ImportBatch, acting_user: Any, progress: Progress | None = None) -> int:
    """Delete what the batch created and restore what it updated; resumable (each step is
    idempotent) and chunked. Returns the number of records deleted or restored."""
    record_type = batch.record_type
    model = records.get(record_type).model
    created_ids: list[int] = list(
        ImportRow.objects.filter(
            batch=batch, action=ImportRow.Action.CREATED, object_id__isnull=False
        )
        .order_by("line")
        .values_list("object_id", flat=True)  # type: ignore[arg-type]
    )
    # Check first, for the whole batch: refuse before touching anything.
    blocking: list[str] = []
    for start in range(0, len(created_ids), ROLLBACK_CHUNK):
        blocking.extend(_blocking(model, created_ids[start : start + ROLLBACK_CHUNK]))
        if len(blocking) >= 10:
            break
    if blocking:
        raise RollbackRefusedError(
            "The import cannot be undone: records it created have since gained related records "
            "that would be lost: " + "; ".join(blocking[:10]) + ". Move or delete those first."
        )
    actor = acting_user if getattr(acting_user, "pk", None) else None
    mark = AUDIT_MARK.format(pk=batch.pk)
    done = 0
    total = (
        len(created_ids)
        + ImportRow.objects.filter(batch=batch, action=ImportRow.Action.UPDATED).count()
    )
    for start in range(0, len(created_ids), ROLLBACK_CHUNK):
        ids = created_ids[start : start + ROLLBACK_CHUNK]
        with transaction.atomic():
            objs = list(model._base_manager.filter(pk__in=ids))
            AuditEntry.objects.bulk_create(
                [
                    AuditEntry(
                        record_type=record_type,
                        object_id=obj.pk,
                        object_repr=str(obj)[:255],
                        action=AuditEntry.Action.PURGE,
                        actor=actor,
                        changes={},
                        request_id=mark,
                    )
                    for obj in objs
                ]
            )
            _delete_related_bookkeeping(record_type, ids)
            collector = Collector(using=router.db_for_write(model), origin=None)
            collector.collect(objs)
            collector.delete()
        done += len(ids)
        if progress is not None:
            progress(done, total, f"Removed {done:,} created records")
    updated = ImportRow.objects.filter(batch=batch, action=ImportRow.Action.UPDATED).order_by(
        "-line"
    )
    for row in updated.iterator(chunk_size=ROLLBACK_CHUNK):
        with transaction.atomic():
            obj = model._base_manager.select_for_update().filter(pk=row.object_id).first()
            if obj is not None:
                _restore_one(record_type, obj, row.previous, acting_user)
        done += 1
        if progress is not None and done % 200 == 0:
            progress(done, total, f"Restored {done:,} records")
    return done


def _delete_related_bookkeeping(record_type: str, ids: list[int]) -> None:
    MatchKey.objects.filter(record_type=record_type, object_id__in=ids).delete()
    QualityScore.objects.filter(record_type=record_type, object_id__in=ids).delete()
    DuplicatePair.objects.filter(
        Q(record_type=record_type, object_id__in=ids) | Q(other_type=record_type, other_id__in=ids)
    ).delete()


def _restore_one(record_type: str, obj: Any, previous: Mapping[str, Any], acting_user: Any) -> None:
    before = audit.snapshot(obj)
    restored = _restore(obj, previous)
    if restored:
        obj.save(update_fields=restored)
    updated_at = previous.get("updated_at")
    if updated_at:
        type(obj)._base_manager.filter(pk=obj.pk).update(
            updated_at=datetime.datetime.fromisoformat(updated_at)
        )
    changes = audit.diff(before, audit.snapshot(obj))
    audit.audit_record(
        obj=obj, acting_user=acting_user, action=AuditEntry.Action.UPDATE, changes=changes
    )
    _normalizers, _validators, after_save = crud.write_hooks(record_type)
    for hook in after_save:
        hook(obj, acting_user)


# --- the report -------------------------------------------------------------------------------

REPORT_COLUMNS = ["line", "verdict", "action", "field", "reason", "matched record", "score"]


def report_rows(*, batch: ImportBatch) -> Iterator[list[str]]:
    """The downloadable report: the original cells of every row, then what became of it.

    The file is re-read (streamed) and joined with the batch's ImportRows by line: accepted
    rows with nothing to say have no ImportRow and read "accepted".
    """
    table = open_batch_table(batch)
    headers = list(table.headers)
    yield [*headers, *REPORT_COLUMNS]
    kept = ImportRow.objects.filter(batch=batch).order_by("line")
    pending = kept.iterator(chunk_size=2000)
    current = next(pending, None)
    default_action = "created" if batch.status in (ImportBatch.Status.COMMITTED,) else ""
    for row in table.rows():
        while current is not None and current.line < row.line:
            current = next(pending, None)
        cells = [row.cells.get(h, "") for h in headers]
        if current is None or current.line != row.line:
            yield [
                *cells,
                str(row.line),
                ImportRow.Verdict.ACCEPTED,
                default_action,
                "",
                "",
                "",
                "",
            ]
            continue
        reasons = current.reasons or [{"field": "", "message": ""}]
        matched = ""
        if current.matched_id is not None:
            matched = f"{current.matched_type} #{current.matched_id}"
        elif current.matched_line is not None:
            matched = f"line {current.matched_line}"
        if current.matched_id is not None and current.matched_line is not None:
            matched += f" (line {current.matched_line})"
        score = "" if current.score is None else f"{current.score:.2f}"
        yield [
            *cells,
            str(row.line),
            current.verdict,
            current.action,
            "; ".join(r.get("field", "") for r in reasons if r.get("field")),
            "; ".join(r.get("message", "") for r in reasons if r.get("message")),
            matched,
            score,
        ]


def display_value(obj: Any, name: str) -> str:
    """A field's value as stored, as text (what the preview shows)."""
    if obj is None or name == mapping_module.ID_FIELD:
        return ""
    model_field = obj._meta.get_field(name)
    if isinstance(model_field, models.ForeignKey):
        related = getattr(obj, name, None)
        if related is None:
            return ""
        if isinstance(related, User):
            return related.get_username()
        return str(getattr(related, "label", None) or related)
    value = getattr(obj, name)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if model_field.choices and not hasattr(value, "code"):
        return str(dict(model_field.flatchoices).get(value, value))
    if hasattr(value, "code"):
        return str(value.code)
    return str(value)
