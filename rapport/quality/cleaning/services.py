"""Services of the cleaning app: flags of wrong data, the field glossary, stale-data queues.

Data stewards (administrators and the Data Steward role, `rapport.access.roles.is_data_steward`)
decide any correction and edit the glossary. A correction is otherwise decided by the record's
owner.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import CharField, Count, Exists, Model, OuterRef, Q, QuerySet, TextField
from django.http import Http404
from django.utils import timezone

from rapport.access import crud, permissions
from rapport.access.roles import is_data_steward
from rapport.core import audit, records
from rapport.core.models import AuditEntry, PicklistValue
from rapport.core.picklists import PicklistField

from .models import ContactStatusMark, CorrectionRequest, EmailBounce, FieldDefinition, StaleReview
from .normalize import normalize_email

# The record types the glossary and correction flags cover.
GLOSSARY_TYPES = ("account", "contact", "lead", "opportunity", "activity")
# Bookkeeping fields nobody flags or edits by hand.
_NOT_FLAGGABLE = frozenset({"id", "created_at", "updated_at", "deleted_at", "deleted_by"})


# --- records and fields ----------------------------------------------------------------------


def _record(record_type: str, object_id: int) -> Model:
    try:
        model: Any = records.get(record_type).model
    except KeyError:
        raise ValidationError(
            {"record_type": f"There is no record type “{record_type}”."}
        ) from None
    found = model._default_manager.filter(pk=object_id).first()
    if found is None:
        raise Http404("No such record.")
    return found  # type: ignore[no-any-return]


def flaggable_fields(user: Any, record_type: str) -> list[tuple[str, str]]:
    """(name, label) of the fields of a record type the person may see and flag."""
    model = records.get(record_type).model
    hidden = permissions.hidden_fields_of(user, record_type)
    return [
        (field.name, str(field.verbose_name).capitalize())
        for field in model._meta.concrete_fields
        if field.editable and field.name not in _NOT_FLAGGABLE and field.name not in hidden
    ]


def display_value(obj: Model, field_name: str) -> str:
    """A field's value as people read it ("" for empty)."""
    field: Any = obj._meta.get_field(field_name)
    value = getattr(obj, field_name)
    if value is None:
        return ""
    if field.choices and not field.is_relation:
        return str(getattr(obj, f"get_{field_name}_display")())
    return str(value)


def _owner_ids(user: Any) -> Q:
    """Corrections on records the person owns, one subquery per record type."""
    condition = Q(pk__in=[])
    for record_type in records.all_types():
        if not record_type.owner_path:
            continue
        owned = record_type.model._default_manager.filter(**{record_type.owner_path: user})
        condition |= Q(record_type=record_type.key, object_id__in=owned.values("pk"))
    return condition


# --- corrections -------------------------------------------------------------------------------


@transaction.atomic
def correction_create(
    *,
    record_type: str,
    object_id: int,
    field_name: str,
    suggested_value: str,
    comment: str,
    acting_user: Any,
) -> CorrectionRequest:
    """Flag a field's value as wrong with a suggested correction (anyone who can read it)."""
    obj = _record(record_type, object_id)
    permissions.check(acting_user, "read", record_type, obj)
    if field_name not in dict(flaggable_fields(acting_user, record_type)):
        raise ValidationError({"field_name": f"“{field_name}” is not a field you can flag here."})
    suggested = suggested_value.strip()
    comment = comment.strip()
    current = display_value(obj, field_name)
    if suggested == current:
        raise ValidationError(
            {"suggested_value": "The suggestion is the value the record already has."}
        )
    if not comment and not suggested:
        raise ValidationError({"comment": "Say what is wrong, or suggest the right value."})
    correction = CorrectionRequest.objects.create(
        record_type=record_type,
        object_id=obj.pk,
        field_name=field_name,
        current_value=current,
        suggested_value=suggested,
        comment=comment,
        reporter=acting_user,
    )
    audit.audit_record(
        obj=correction,
        acting_user=acting_user,
        action=AuditEntry.Action.CREATE,
        changes=audit.created(correction),
        record_type="correction_request",
    )
    return correction


def corrections_reported_by(user: Any) -> QuerySet[CorrectionRequest]:
    """The person's own flags, newest first: their status and the decision's reason."""
    return CorrectionRequest.objects.filter(reporter=user).select_related("decided_by")


def corrections_assigned_to(user: Any) -> QuerySet[CorrectionRequest]:
    """The corrections the person decides: on records they own, or all for data stewards."""
    queryset = CorrectionRequest.objects.select_related("reporter", "decided_by")
    if is_data_steward(user):
        return queryset
    return queryset.filter(_owner_ids(user))


def correction_counts(user: Any) -> dict[str, int]:
    """Open corrections the person decides, and their own reports still open (one query each)."""
    return {
        "assigned_open": corrections_assigned_to(user).filter(status="open").count(),
        "mine_open": corrections_reported_by(user).filter(status="open").count(),
    }


def can_decide(user: Any, correction: CorrectionRequest) -> bool:
    return corrections_assigned_to(user).filter(pk=correction.pk).exists()


def _decidable(user: Any, correction: CorrectionRequest) -> None:
    if not can_decide(user, correction):
        raise PermissionDenied("Only the record's owner or a data steward decides this correction.")
    if correction.status != CorrectionRequest.Status.OPEN:
        raise ValidationError({"status": "This correction was already decided."})


def _parse(obj: Model, field_name: str, text: str) -> Any:
    """The suggested text as the field's value (a picklist by key or label, a record by id)."""
    try:
        field: Any = obj._meta.get_field(field_name)
    except FieldDoesNotExist:
        raise ValidationError({field_name: "There is no such field."}) from None
    if isinstance(field, PicklistField):
        if not text:
            return None
        value = (
            PicklistValue.objects.filter(picklist__key=field.picklist_key)
            .filter(Q(key=text) | Q(label__iexact=text))
            .first()
        )
        if value is None:
            raise ValidationError({field_name: f"“{text}” is not a value of this list."})
        return value
    if field.many_to_one:
        if not text:
            return None
        target = field.related_model._default_manager.filter(pk=text if text.isdigit() else 0)
        found = target.first()
        if found is None:
            raise ValidationError({field_name: f"No record with id “{text}”."})
        return found
    try:
        if text == "" and field.null and not isinstance(field.to_python(""), str):
            return None
        return field.to_python(text)
    except ValidationError as error:
        raise ValidationError({field_name: error.messages}) from None


@transaction.atomic
def correction_accept(*, correction: CorrectionRequest, acting_user: Any) -> CorrectionRequest:
    """Apply the suggestion through the record's normal update (permission, validation,
    normalisation, audit). A suggestion that fails validation raises and is not applied."""
    _decidable(acting_user, correction)
    obj = _record(correction.record_type, correction.object_id)
    value = _parse(obj, correction.field_name, correction.suggested_value)
    crud.record_update(
        record_type=correction.record_type,
        obj=obj,
        acting_user=acting_user,
        values={correction.field_name: value},
    )
    before = audit.snapshot(correction)
    correction.status = CorrectionRequest.Status.ACCEPTED
    correction.decided_by = acting_user
    correction.decided_at = timezone.now()
    correction.save(update_fields=["status", "decided_by", "decided_at"])
    audit.audit_record(
        obj=correction,
        acting_user=acting_user,
        action=AuditEntry.Action.UPDATE,
        changes=audit.diff(before, audit.snapshot(correction)),
        record_type="correction_request",
    )
    return correction


@transaction.atomic
def correction_reject(
    *, correction: CorrectionRequest, reason: str, acting_user: Any
) -> CorrectionRequest:
    """Turn the suggestion down, saying why (the reporter reads the reason)."""
    _decidable(acting_user, correction)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the correction is rejected."})
    before = audit.snapshot(correction)
    correction.status = CorrectionRequest.Status.REJECTED
    correction.decided_by = acting_user
    correction.decided_at = timezone.now()
    correction.reason = reason
    correction.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    audit.audit_record(
        obj=correction,
        acting_user=acting_user,
        action=AuditEntry.Action.UPDATE,
        changes=audit.diff(before, audit.snapshot(correction)),
        record_type="correction_request",
    )
    return correction


def hidden_for(user: Any, corrections: list[CorrectionRequest]) -> set[int]:
    """Ids of corrections whose field the viewer may not see (their values are not shown)."""
    hidden_by_type = {
        key: permissions.hidden_fields_of(user, key) for key in {c.record_type for c in corrections}
    }
    return {c.pk for c in corrections if c.field_name in hidden_by_type[c.record_type]}


# --- glossary ----------------------------------------------------------------------------------


@dataclass
class GlossaryEntry:
    record_type: str
    field_name: str
    label: str
    definition: str
    owner: Any
    allowed_values: str
    fill_rate: float | None  # 0..1 over the records the viewer sees; None when there are none
    definition_id: int | None


def _filled(field: Any) -> Q:
    condition = Q(**{f"{field.name}__isnull": False})
    if isinstance(field, (CharField, TextField)) and not field.null:
        condition &= ~Q(**{field.name: ""})
    return condition


def glossary(user: Any, *, search: str = "") -> dict[str, list[GlossaryEntry]]:
    """Each covered record type's visible fields with their definition and fill rate.

    One aggregate query per record type (the fill rates), one for the definitions and one for
    the picklists' values. Hidden fields are left out.
    """
    definitions = {
        (d.record_type, d.field_name): d
        for d in FieldDefinition.objects.select_related("owner").filter(
            record_type__in=GLOSSARY_TYPES
        )
    }
    picklist_keys: set[str] = set()
    fields_by_type: dict[str, list[Any]] = {}
    for key in GLOSSARY_TYPES:
        hidden = permissions.hidden_fields_of(user, key)
        model = records.get(key).model
        fields = [
            f
            for f in model._meta.concrete_fields
            if f.editable and f.name not in _NOT_FLAGGABLE and f.name not in hidden
        ] + [
            f
            for f in model._meta.concrete_fields
            if f.name == "updated_at" and (key, "updated_at") in definitions
        ]
        fields_by_type[key] = fields
        picklist_keys |= {f.picklist_key for f in fields if isinstance(f, PicklistField)}
    values_by_list: dict[str, list[str]] = {}
    for value in (
        PicklistValue.objects.filter(picklist__key__in=picklist_keys, is_active=True)
        .select_related("picklist")
        .order_by("sort_order", "id")
    ):
        values_by_list.setdefault(value.picklist.key, []).append(value.label)
    needle = search.strip().lower()
    result: dict[str, list[GlossaryEntry]] = {}
    for key, fields in fields_by_type.items():
        model = records.get(key).model
        scoped = permissions.scope_queryset(user, key, model._default_manager.all())
        aggregates = scoped.aggregate(
            _total=Count("pk"), **{f"f_{f.name}": Count("pk", filter=_filled(f)) for f in fields}
        )
        total = aggregates["_total"]
        entries = []
        for field in fields:
            found = definitions.get((key, field.name))
            allowed = found.allowed_values if found else ""
            if isinstance(field, PicklistField):
                allowed = ", ".join(values_by_list.get(field.picklist_key, []))
            elif field.choices:
                allowed = ", ".join(str(label) for _value, label in field.choices)
            entry = GlossaryEntry(
                record_type=key,
                field_name=field.name,
                label=str(field.verbose_name).capitalize(),
                definition=found.definition if found else str(field.help_text),
                owner=found.owner if found else None,
                allowed_values=allowed,
                fill_rate=(aggregates[f"f_{field.name}"] / total) if total else None,
                definition_id=found.pk if found else None,
            )
            haystack = f"{entry.label} {entry.field_name} {entry.definition}".lower()
            if not needle or needle in haystack:
                entries.append(entry)
        if entries:
            result[key] = entries
    return result


def definitions_for(record_type: str) -> dict[str, str]:
    """Field name → glossary definition of a record type (for form help texts)."""
    return dict(
        FieldDefinition.objects.filter(record_type=record_type).values_list(
            "field_name", "definition"
        )
    )


@transaction.atomic
def field_definition_set(
    *,
    record_type: str,
    field_name: str,
    definition: str,
    allowed_values: str = "",
    owner: Any = None,
    acting_user: Any,
) -> FieldDefinition:
    """Write a field's glossary entry (data stewards only)."""
    if not is_data_steward(acting_user):
        raise PermissionDenied("Only data stewards edit the glossary.")
    if record_type not in GLOSSARY_TYPES:
        raise ValidationError({"record_type": f"The glossary does not cover “{record_type}”."})
    try:
        records.get(record_type).model._meta.get_field(field_name)
    except FieldDoesNotExist:
        raise ValidationError({"field_name": "There is no such field."}) from None
    definition = definition.strip()
    if not definition:
        raise ValidationError({"definition": "Write what the field means."})
    entry = FieldDefinition.objects.filter(record_type=record_type, field_name=field_name).first()
    before = audit.snapshot(entry) if entry is not None else None
    if entry is None:
        entry = FieldDefinition(record_type=record_type, field_name=field_name)
    entry.definition = definition
    entry.allowed_values = allowed_values.strip()
    entry.owner = owner
    entry.full_clean()
    entry.save()
    audit.audit_record(
        obj=entry,
        acting_user=acting_user,
        action=AuditEntry.Action.CREATE if before is None else AuditEntry.Action.UPDATE,
        changes=audit.created(entry)
        if before is None
        else audit.diff(before, audit.snapshot(entry)),
        record_type="field_definition",
    )
    return entry


# --- stale data ----------------------------------------------------------------------------------

STALE_TYPES = ("account", "contact", "lead")
_ACTIVITY_LINK = {"account": "account", "contact": "contact", "lead": "lead"}


def stale_records(user: Any, record_type: str, *, months: int = 12) -> QuerySet[Any]:
    """Records the person sees that nobody changed, logged an activity on or reviewed in the
    last `months` months, the longest untouched first."""
    if record_type not in STALE_TYPES:
        raise ValidationError({"type": f"Choose one of: {', '.join(STALE_TYPES)}."})
    if not 1 <= months <= 240:
        raise ValidationError({"months": "Choose between 1 and 240 months."})
    from rapport.activities.models import Activity

    cutoff = timezone.now() - timedelta(days=round(months * 30.44))
    model: Any = records.get(record_type).model
    recent_activity = Activity.objects.filter(
        **{_ACTIVITY_LINK[record_type]: OuterRef("pk")}, updated_at__gte=cutoff
    )
    reviewed = StaleReview.objects.filter(
        record_type=record_type, object_id=OuterRef("pk"), reviewed_at__gte=cutoff
    )
    queryset = model._default_manager.filter(updated_at__lt=cutoff)
    if record_type == "lead":
        queryset = queryset.filter(Q(last_touched_at__isnull=True) | Q(last_touched_at__lt=cutoff))
    queryset = queryset.filter(~Exists(recent_activity), ~Exists(reviewed))
    return permissions.scope_queryset(user, record_type, queryset).order_by("updated_at", "pk")


def bounced_records(user: Any, record_type: str) -> QuerySet[Any]:
    """Contacts or leads whose current e-mail address bounced."""
    if record_type not in ("contact", "lead"):
        raise ValidationError({"type": "Bounces are kept for contacts and leads."})
    model: Any = records.get(record_type).model
    bounced = EmailBounce.objects.filter(
        record_type=record_type, object_id=OuterRef("pk"), email=OuterRef("email")
    )
    queryset = model._default_manager.exclude(email="").filter(Exists(bounced))
    return permissions.scope_queryset(user, record_type, queryset).order_by("pk")


def left_company_contacts(user: Any) -> QuerySet[Any]:
    """Contacts marked as having left their company, not yet reviewed."""
    from rapport.customers.models import Contact

    reviewed = StaleReview.objects.filter(record_type="contact", object_id=OuterRef("pk"))
    queryset = Contact.objects.filter(left_company=True).filter(~Exists(reviewed))
    return permissions.scope_queryset(user, "contact", queryset).order_by("pk")


def deceased_contacts(user: Any) -> QuerySet[Any]:
    """Contacts marked deceased that are still reachable (not marked do-not-contact)."""
    from rapport.customers.models import Contact

    marked = ContactStatusMark.objects.filter(
        contact=OuterRef("pk"), kind=ContactStatusMark.Kind.DECEASED
    )
    queryset = Contact.objects.filter(Exists(marked), do_not_contact=False)
    return permissions.scope_queryset(user, "contact", queryset).order_by("pk")


@transaction.atomic
def email_bounce_record(
    *, record_type: str, object_id: int, email: str, reason: str = "", acting_user: Any
) -> EmailBounce:
    """Record that mail to a contact's or lead's address bounced."""
    if record_type not in ("contact", "lead"):
        raise ValidationError({"record_type": "Bounces are kept for contacts and leads."})
    obj = _record(record_type, object_id)
    permissions.check(acting_user, "read", record_type, obj)
    try:
        address = normalize_email(email)
    except ValueError as error:
        raise ValidationError({"email": str(error)}) from None
    if not address:
        raise ValidationError({"email": "Give the address that bounced."})
    bounce = EmailBounce.objects.create(
        record_type=record_type, object_id=obj.pk, email=address, reason=reason.strip()[:255]
    )
    audit.audit_record(
        obj=bounce,
        acting_user=acting_user,
        action=AuditEntry.Action.CREATE,
        changes=audit.created(bounce),
        record_type="email_bounce",
    )
    return bounce


@transaction.atomic
def stale_mark_reviewed(*, record_type: str, object_id: int, acting_user: Any) -> StaleReview:
    """The record was checked and is still right: it leaves the queue."""
    obj = _record(record_type, object_id)
    permissions.check(acting_user, "edit", record_type, obj)
    review, _created = StaleReview.objects.update_or_create(
        record_type=record_type,
        object_id=obj.pk,
        defaults={"reviewed_by": acting_user, "reviewed_at": timezone.now()},
    )
    audit.audit_record(
        obj=review,
        acting_user=acting_user,
        action=AuditEntry.Action.CREATE,
        changes=audit.created(review),
        record_type="stale_review",
    )
    return review


def stale_clear_email(*, record_type: str, object_id: int, acting_user: Any) -> Model:
    """Remove a bounced address from the record (audited like any edit)."""
    obj = _record(record_type, object_id)
    return crud.record_update(
        record_type=record_type, obj=obj, acting_user=acting_user, values={"email": ""}
    )


def stale_set_left_company(*, object_id: int, acting_user: Any) -> Model:
    """Mark a contact as having left their company (audited like any edit)."""
    obj = _record("contact", object_id)
    return crud.record_update(
        record_type="contact", obj=obj, acting_user=acting_user, values={"left_company": True}
    )


@transaction.atomic
def contact_mark_deceased(*, object_id: int, acting_user: Any) -> ContactStatusMark:
    """Mark a contact deceased (they then appear in the deceased queue until do-not-contact)."""
    obj = _record("contact", object_id)
    permissions.check(acting_user, "edit", "contact", obj)
    mark, created = ContactStatusMark.objects.get_or_create(
        contact_id=obj.pk,
        kind=ContactStatusMark.Kind.DECEASED,
        defaults={"marked_by": acting_user},
    )
    if created:
        audit.audit_record(
            obj=mark,
            acting_user=acting_user,
            action=AuditEntry.Action.CREATE,
            changes=audit.created(mark),
            record_type="contact_status_mark",
        )
    return mark


def stale_set_do_not_contact(*, object_id: int, acting_user: Any) -> Model:
    """Stop contacting a deceased person (audited like any edit)."""
    obj = _record("contact", object_id)
    return crud.record_update(
        record_type="contact", obj=obj, acting_user=acting_user, values={"do_not_contact": True}
    )
