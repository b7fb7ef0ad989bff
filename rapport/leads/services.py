"""Writes on leads: create, update (status history and touch timestamps), qualification answers,
qualification questions, web forms, web-to-lead submissions and conversion.

Every write goes through `rapport.access.crud` (permission, field-level security, validation,
audit) and adds the leads' own rules on top, so a page, the API, an import and a web form all
write leads the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from rapport.access import crud, permissions
from rapport.core.audit import audit_record
from rapport.core.models import AuditEntry, Picklist, PicklistValue
from rapport.leads.models import (
    Lead,
    LeadStatusChange,
    QualificationAnswer,
    QualificationQuestion,
    WebForm,
)
from rapport.leads.qualification_defaults import ensure_default_questions

if TYPE_CHECKING:
    from rapport.activities.models import Activity
    from rapport.customers.models import Account, Contact
    from rapport.pipeline.models import Opportunity

LEAD = "lead"
QUESTION = "qualification_question"
WEB_FORM = "web_form"

STATUS_NEW = "new"
STATUS_QUALIFIED = "qualified"
STATUS_CONVERTED = "converted"

# Lead fields a web form may ask for; anything else (owner, status, source) comes from the form.
WEB_FORM_FIELDS: tuple[str, ...] = (
    "first_name",
    "last_name",
    "email",
    "company",
    "job_title",
    "phone",
    "website",
    "street",
    "city",
    "postal_code",
    "region",
    "country",
    "industry",
    "title_level",
    "description",
)
# Always asked and always required: a lead without them cannot be worked.
WEB_FORM_ALWAYS_REQUIRED: tuple[str, ...] = ("last_name", "email")
# The hidden field humans never see and bots fill in.
HONEYPOT_FIELD = "website_url"


def picklist_value(picklist_key: str, value_key: str) -> PicklistValue:
    """The value `value_key` of the picklist `picklist_key` (DoesNotExist when there is none)."""
    return PicklistValue.objects.select_related("picklist").get(
        picklist__key=picklist_key, key=value_key
    )


# Leads --------------------------------------------------------------------------------------------


def _status_change(*, lead: Lead, old: PicklistValue | None, acting_user: Any, at: Any) -> None:
    LeadStatusChange.objects.create(
        lead=lead,
        from_status=old,
        to_status_id=lead.status_id,
        changed_at=at,
        changed_by=acting_user if acting_user is not None and acting_user.pk else None,
    )


@transaction.atomic
def lead_create(
    *,
    acting_user: Any,
    values: Mapping[str, Any],
    answers: Mapping[QualificationQuestion, PicklistValue] | None = None,
    check_permission: bool = True,
) -> Lead:
    """Create a lead: status "new" unless the values say otherwise, its first status history entry,
    and the answers given (a web form's pre-filled questions)."""
    values = dict(values)
    if values.get("status") is None:
        values["status"] = picklist_value("lead_status", STATUS_NEW)
    if getattr(values["status"], "key", None) == STATUS_CONVERTED:
        raise ValidationError({"status": "A lead becomes Converted only by converting it."})
    now = timezone.now()
    lead = crud.record_create(
        record_type=LEAD,
        acting_user=acting_user,
        values=values,
        check_permission=check_permission,
        instance=Lead(status_changed_at=now),
    )
    _status_change(lead=lead, old=None, acting_user=acting_user, at=now)
    if answers:
        _answers_write(lead=lead, answers=answers, acting_user=acting_user)
    return lead


@transaction.atomic
def lead_update(
    *,
    acting_user: Any,
    lead: Lead,
    values: Mapping[str, Any],
    check_permission: bool = True,
) -> Lead:
    """Change a lead. A status change is timestamped (status_changed_at, last_touched_at) and
    written to the status history; a converted lead keeps its status."""
    values = dict(values)
    old_status = lead.status
    new_status = values.get("status", old_status)
    if new_status is not None and new_status.pk != old_status.pk:
        if lead.is_converted:
            raise ValidationError(
                {"status": "This lead is converted; its status can no longer change."}
            )
        if new_status.key == STATUS_CONVERTED:
            raise ValidationError({"status": "A lead becomes Converted only by converting it."})
    return _lead_update(
        acting_user=acting_user,
        lead=lead,
        values=values,
        old_status=old_status,
        check_permission=check_permission,
    )


def _lead_update(
    *,
    acting_user: Any,
    lead: Lead,
    values: dict[str, Any],
    old_status: PicklistValue,
    check_permission: bool,
) -> Lead:
    new_status = values.get("status")
    changed = new_status is not None and new_status.pk != old_status.pk
    now = timezone.now()
    if changed:
        values["status_changed_at"] = now
        values["last_touched_at"] = now
    lead = crud.record_update(
        record_type=LEAD,
        obj=lead,
        acting_user=acting_user,
        values=values,
        check_permission=check_permission,
    )
    if changed:
        _status_change(lead=lead, old=old_status, acting_user=acting_user, at=now)
    return lead


@transaction.atomic
def lead_delete(*, acting_user: Any, lead: Lead, check_permission: bool = True) -> Lead:
    """Move a lead to the recycle bin."""
    return crud.record_delete(
        record_type=LEAD, obj=lead, acting_user=acting_user, check_permission=check_permission
    )


def lead_touch_from_activity(*, activity: Activity, acting_user: Any = None) -> None:
    """A call logged on a lead touches it: last_touched_at moves to the call (one UPDATE).

    Registered with rapport.activities.hooks at start-up; other kinds of activity do not count.
    An older call logged late never moves the timestamp back.
    """
    if activity.lead_id is None or activity.kind != "call":
        return
    at = min(activity.occurred_at or timezone.now(), timezone.now())
    touched = (
        Lead.all_objects.filter(pk=activity.lead_id)
        .filter(Q(last_touched_at__isnull=True) | Q(last_touched_at__lt=at))
        .update(last_touched_at=at)
    )
    if touched:  # its quality score counts the last touch
        lead = Lead.all_objects.get(pk=activity.lead_id)
        crud.derived_refresh(record_type="lead", obj=lead, acting_user=acting_user)


# Qualification answers ----------------------------------------------------------------------------


def _check_answer(question: QualificationQuestion, value: PicklistValue | None) -> None:
    name = question.key
    if not question.is_active:
        raise ValidationError(
            {name: f"“{question.text}” is retired and can no longer be answered."}
        )
    if value is None:
        return
    if value.picklist_id != question.picklist_id or not value.is_active:
        raise ValidationError(
            {name: f"“{value.label}” is not one of the possible answers to “{question.text}”."}
        )


def _answers_write(
    *,
    lead: Lead,
    answers: Mapping[QualificationQuestion, PicklistValue | None],
    acting_user: Any,
) -> None:
    errors: dict[str, list[str]] = {}
    for question, value in answers.items():
        try:
            _check_answer(question, value)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    existing = {
        answer.question_id: answer
        for answer in QualificationAnswer.objects.select_related("value").filter(
            lead=lead, question__in=list(answers)
        )
    }
    by = acting_user if acting_user is not None and acting_user.pk else None
    now = timezone.now()
    changes: dict[str, Any] = {}
    new: list[QualificationAnswer] = []
    changed: list[QualificationAnswer] = []
    removed: list[int] = []
    for question, value in answers.items():
        current = existing.get(question.pk)
        old_label = current.value.label if current is not None else None
        if value is None:
            if current is not None:
                removed.append(current.pk)
                changes[f"answer:{question.key}"] = {"old": old_label, "new": None}
            continue
        if current is None:
            new.append(
                QualificationAnswer(
                    lead=lead, question=question, value=value, answered_at=now, answered_by=by
                )
            )
        elif current.value_id != value.pk:
            current.value = value
            current.answered_at = now
            current.answered_by = by
            changed.append(current)
        else:
            continue
        changes[f"answer:{question.key}"] = {"old": old_label, "new": value.label}
    QualificationAnswer.objects.bulk_create(new)
    QualificationAnswer.objects.bulk_update(changed, ["value", "answered_at", "answered_by"])
    QualificationAnswer.objects.filter(pk__in=removed).delete()
    if changes:
        audit_record(
            obj=lead, acting_user=acting_user, action=AuditEntry.Action.UPDATE, changes=changes
        )
        # Its quality score asks whether a qualified lead has answers.
        crud.derived_refresh(record_type="lead", obj=lead, acting_user=acting_user)


@transaction.atomic
def lead_answer(
    *,
    acting_user: Any,
    lead: Lead,
    question: QualificationQuestion,
    value: PicklistValue | None,
    check_permission: bool = True,
) -> None:
    """Record (or, with value None, clear) the lead's answer to one question.

    The value must be an active value of the question's picklist; the error names the question.
    """
    lead_answers_set(
        acting_user=acting_user,
        lead=lead,
        answers={question: value},
        check_permission=check_permission,
    )


@transaction.atomic
def lead_answers_set(
    *,
    acting_user: Any,
    lead: Lead,
    answers: Mapping[QualificationQuestion, PicklistValue | None],
    check_permission: bool = True,
) -> None:
    """Record several answers at once: all are valid and saved, or none is."""
    if check_permission:
        permissions.check(acting_user, "edit", LEAD, lead)
    _answers_write(lead=lead, answers=answers, acting_user=acting_user)


# Qualification questions --------------------------------------------------------------------------


def qualification_questions_ensure_defaults() -> int:
    """Create the default questions that are missing; return how many (for tests and setup)."""
    return ensure_default_questions(QualificationQuestion, Picklist)


@transaction.atomic
def question_create(
    *, acting_user: Any, values: Mapping[str, Any], check_permission: bool = True
) -> QualificationQuestion:
    """Add a question at the end of the list."""
    last = QualificationQuestion.objects.aggregate(m=Max("sort_order"))["m"]
    return crud.record_create(
        record_type=QUESTION,
        acting_user=acting_user,
        values=values,
        check_permission=check_permission,
        instance=QualificationQuestion(sort_order=(last or 0) + 10),
    )


@transaction.atomic
def question_update(
    *,
    acting_user: Any,
    question: QualificationQuestion,
    values: Mapping[str, Any],
    check_permission: bool = True,
) -> QualificationQuestion:
    """Change a question; its picklist stays once leads have answered it (their answers would no
    longer be possible answers)."""
    picklist = values.get("picklist")
    if (
        picklist is not None
        and picklist.pk != question.picklist_id
        and QualificationAnswer.objects.filter(question=question).exists()
    ):
        raise ValidationError(
            {
                "picklist": "Leads have answered this question already; retire it and add a new "
                "question instead of changing its answers."
            }
        )
    return crud.record_update(
        record_type=QUESTION,
        obj=question,
        acting_user=acting_user,
        values=values,
        check_permission=check_permission,
    )


@transaction.atomic
def question_move(
    *, acting_user: Any, question: QualificationQuestion, offset: int, check_permission: bool = True
) -> None:
    """Move a question up (negative offset) or down; the list is renumbered 10, 20, …"""
    if check_permission:
        permissions.check(acting_user, "edit", QUESTION, question)
    ordered = list(QualificationQuestion.objects.select_for_update().order_by("sort_order", "id"))
    position = next(i for i, other in enumerate(ordered) if other.pk == question.pk)
    target = max(0, min(len(ordered) - 1, position + offset))
    ordered.insert(target, ordered.pop(position))
    changed = []
    for index, item in enumerate(ordered):
        new_order = (index + 1) * 10
        if item.sort_order != new_order:
            audit_record(
                obj=item,
                acting_user=acting_user,
                action=AuditEntry.Action.UPDATE,
                changes={"sort_order": {"old": item.sort_order, "new": new_order}},
            )
            item.sort_order = new_order
            changed.append(item)
    QualificationQuestion.objects.bulk_update(changed, ["sort_order"])


@transaction.atomic
def question_set_active(
    *,
    acting_user: Any,
    question: QualificationQuestion,
    is_active: bool,
    check_permission: bool = True,
) -> QualificationQuestion:
    """Retire a question (answers stay, completeness stops counting it) or bring it back."""
    return crud.record_update(
        record_type=QUESTION,
        obj=question,
        acting_user=acting_user,
        values={"is_active": is_active},
        check_permission=check_permission,
    )


# Web forms ----------------------------------------------------------------------------------------


def _clean_form_fields(values: dict[str, Any]) -> None:
    fields = list(dict.fromkeys(values.get("fields") or []))
    unknown = [name for name in fields if name not in WEB_FORM_FIELDS]
    if unknown:
        raise ValidationError(
            {"fields": f"A web form cannot ask for: {', '.join(map(str, unknown))}."}
        )
    for name in reversed(WEB_FORM_ALWAYS_REQUIRED):
        if name not in fields:
            fields.insert(0, name)
    required = list(dict.fromkeys(values.get("required_fields") or []))
    not_asked = [name for name in required if name not in fields]
    if not_asked:
        raise ValidationError(
            {
                "required_fields": "Only fields the form asks for can be required: "
                f"{', '.join(map(str, not_asked))} is not asked."
            }
        )
    for name in WEB_FORM_ALWAYS_REQUIRED:
        if name not in required:
            required.append(name)
    values["fields"] = fields
    values["required_fields"] = [name for name in fields if name in required]


@transaction.atomic
def web_form_create(
    *,
    acting_user: Any,
    values: Mapping[str, Any],
    questions: Iterable[QualificationQuestion] = (),
    check_permission: bool = True,
) -> WebForm:
    """Create a web form; last name and e-mail are always asked and required."""
    values = dict(values)
    values.setdefault("fields", list(WEB_FORM_ALWAYS_REQUIRED))
    _clean_form_fields(values)
    form: WebForm = crud.record_create(
        record_type=WEB_FORM,
        acting_user=acting_user,
        values=values,
        check_permission=check_permission,
    )
    _set_questions(form=form, questions=questions, acting_user=acting_user)
    return form


@transaction.atomic
def web_form_update(
    *,
    acting_user: Any,
    form: WebForm,
    values: Mapping[str, Any],
    questions: Iterable[QualificationQuestion] | None = None,
    check_permission: bool = True,
) -> WebForm:
    """Change a web form (and, when given, the questions it asks)."""
    values = dict(values)
    if "fields" in values or "required_fields" in values:
        values.setdefault("fields", form.fields)
        values.setdefault("required_fields", form.required_fields)
        _clean_form_fields(values)
    form = crud.record_update(
        record_type=WEB_FORM,
        obj=form,
        acting_user=acting_user,
        values=values,
        check_permission=check_permission,
    )
    if questions is not None:
        _set_questions(form=form, questions=questions, acting_user=acting_user)
    return form


def _set_questions(
    *, form: WebForm, questions: Iterable[QualificationQuestion], acting_user: Any
) -> None:
    chosen = list(questions)
    retired = [q.text for q in chosen if not q.is_active]
    if retired:
        raise ValidationError({"questions": f"Retired questions cannot be asked: {retired[0]}"})
    before = sorted(form.questions.values_list("key", flat=True))
    after = sorted(q.key for q in chosen)
    if before == after:
        return
    form.questions.set(chosen)
    audit_record(
        obj=form,
        acting_user=acting_user,
        action=AuditEntry.Action.UPDATE,
        changes={"questions": {"old": before, "new": after}},
    )


@transaction.atomic
def web_form_set_active(
    *, acting_user: Any, form: WebForm, is_active: bool, check_permission: bool = True
) -> WebForm:
    """Switch a web form off (it refuses submissions) or on again."""
    return crud.record_update(
        record_type=WEB_FORM,
        obj=form,
        acting_user=acting_user,
        values={"is_active": is_active},
        check_permission=check_permission,
    )


class WebFormInactiveError(Exception):
    """The form is switched off (or does not exist)."""


@transaction.atomic
def web_to_lead_submit(*, form: WebForm, data: Mapping[str, Any]) -> Lead | None:
    """Turn a visitor's submission into a lead; None when the honeypot says it is a bot.

    `data` holds the form's fields (picklist fields by value key) and `answers`, a mapping of
    question key to answer key. The lead gets the form's owner and source, status "new" and the
    form itself; the form's questions are pre-filled from the answers. Errors name the field.
    """
    if not form.is_active:
        raise WebFormInactiveError(form.key)
    if str(data.get(HONEYPOT_FIELD) or "").strip():
        return None  # a bot: it sees success, we store nothing
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name in form.fields:
        raw = data.get(name)
        text = "" if raw is None else str(raw).strip()
        if not text:
            if name in form.required_fields:
                errors.setdefault(name, []).append("This field is required.")
            continue
        if name in ("industry", "title_level"):
            picklist_key = Lead._meta.get_field(name).picklist_key  # type: ignore[union-attr]
            chosen = PicklistValue.objects.filter(
                picklist__key=picklist_key, key=text, is_active=True
            ).first()
            if chosen is None:
                errors.setdefault(name, []).append(f"“{text}” is not one of the choices.")
                continue
            values[name] = chosen
        else:
            values[name] = text
    answers = _web_answers(form, data.get("answers") or {}, errors)
    if errors:
        raise ValidationError(errors)
    values.update(owner=form.owner, source=form.source, web_form=form)
    return lead_create(acting_user=None, values=values, answers=answers, check_permission=False)


def _web_answers(
    form: WebForm, raw: Any, errors: dict[str, list[str]]
) -> dict[QualificationQuestion, PicklistValue]:
    if not isinstance(raw, Mapping):
        errors.setdefault("answers", []).append("Send the answers as {question key: answer key}.")
        return {}
    questions = {q.key: q for q in form.questions.filter(is_active=True)}
    unknown = sorted(str(key) for key in raw if key not in questions)
    if unknown:
        errors.setdefault("answers", []).append(f"This form does not ask: {', '.join(unknown)}.")
    wanted = {key: str(value) for key, value in raw.items() if key in questions and value}
    values = {
        (v.picklist_id, v.key): v
        for v in PicklistValue.objects.filter(
            picklist_id__in=[q.picklist_id for q in questions.values()], is_active=True
        )
    }
    answers: dict[QualificationQuestion, PicklistValue] = {}
    for key, answer_key in wanted.items():
        question = questions[key]
        chosen = values.get((question.picklist_id, answer_key))
        if chosen is None:
            errors.setdefault(key, []).append(
                f"“{answer_key}” is not one of the possible answers to “{question.text}”."
            )
            continue
        answers[question] = chosen
    return answers


# Conversion ---------------------------------------------------------------------------------------

# Legal forms left out when comparing company names ("Acme Inc." is "ACME GmbH").
LEGAL_SUFFIXES = frozenset(
    {
        "inc", "incorporated", "corp", "corporation", "co", "company", "llc", "llp", "lp",
        "ltd", "limited", "plc", "gmbh", "mbh", "ag", "kg", "ohg", "ug", "se", "sa", "sas",
        "sarl", "sl", "srl", "spa", "bv", "nv", "oy", "ab", "as", "aps", "pty", "pvt", "kk",
    }
)  # fmt: skip


def company_key(name: str) -> str:
    """A company name reduced for matching: lower case, no punctuation, no legal form."""
    words = re.findall(r"[\w]+", name.casefold().replace("&", " "))
    while words and words[-1] in LEGAL_SUFFIXES:
        words.pop()
    return " ".join(words)


def website_domain(url: str) -> str:
    """The host of a web address without "www.", lower case ("" when there is none)."""
    url = url.strip()
    if not url:
        return ""
    host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    return host.removeprefix("www.").lower()


@dataclass(frozen=True)
class ConversionResult:
    """What a lead became."""

    account: Account
    contact: Contact
    opportunity: Opportunity | None
    account_created: bool = False
    contact_created: bool = False


# What the caller may set on the opportunity a conversion creates.
OPPORTUNITY_FIELDS = (
    "name",
    "amount",
    "forecast_close_date",
    "stage",
    "currency",
    "probability",
    "description",
    "price_list",
)
OPPORTUNITY_REQUIRED = ("amount", "forecast_close_date")


@transaction.atomic
def lead_convert(
    *,
    acting_user: Any,
    lead: Lead,
    account: Account | None = None,
    contact: Contact | None = None,
    create_opportunity: bool = True,
    opportunity_values: Mapping[str, Any] | None = None,
    create_account: bool = False,
    create_contact: bool = False,
) -> ConversionResult:
    """Convert a qualified lead into an account, a contact and an opportunity, in one transaction.

    An existing account (same company name ignoring legal form, or same web site) and contact
    (same e-mail) are reused unless the caller picks others (or asks for new ones with
    `create_account` / `create_contact`); the lead's activities move to the
    new records, its answers go with the opportunity, and the lead links back to all three.
    """
    from rapport.activities.models import Activity
    from rapport.customers import services as customer_services
    from rapport.pipeline import services as pipeline_services

    permissions.check(acting_user, "edit", LEAD, lead)
    # Lock the row: two people converting the same lead at once must not both succeed.
    lead = Lead.objects.select_for_update().select_related("status").get(pk=lead.pk)
    if lead.is_converted:
        raise ValidationError({"status": "This lead is converted already."})
    if lead.status.key != STATUS_QUALIFIED:
        raise ValidationError(
            {
                "status": f"Only a qualified lead can be converted; this one is "
                f"{lead.status.label}. Qualify it first."
            }
        )
    opportunity_values = dict(opportunity_values or {})
    unknown = sorted(set(opportunity_values) - set(OPPORTUNITY_FIELDS))
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "There is no such opportunity field."))
    if create_opportunity:
        missing = [
            name for name in OPPORTUNITY_REQUIRED if opportunity_values.get(name) in (None, "")
        ]
        if missing:
            raise ValidationError(
                dict.fromkeys(missing, "Required to convert a lead into an opportunity.")
            )
    if contact is not None:
        permissions.check(acting_user, "read", "contact", contact)
        if account is None:
            account = contact.account
    if account is not None:
        permissions.check(acting_user, "read", "account", account)
    account_created = contact_created = False
    if account is None and contact is None and not (create_account or create_contact):
        # The person is known already: the conversion joins them where they are.
        contact = match_contact(viewer=acting_user, lead=lead)
        account = contact.account if contact is not None else None
    if account is None and not create_account:
        account = match_account(viewer=acting_user, lead=lead)
    if account is None:
        account = customer_services.account_create(
            acting_user=acting_user, values=_account_values(lead)
        )
        account_created = True
    if contact is None and not create_contact:
        contact = match_contact(viewer=acting_user, lead=lead, account=account)
    if contact is None:
        contact = customer_services.contact_create(
            acting_user=acting_user, values=_contact_values(lead, account)
        )
        contact_created = True
    opportunity = None
    if create_opportunity:
        values = {
            "name": opportunity_values.pop("name", "") or _opportunity_name(lead, account),
            "account": account,
            "contact": contact,
            "owner": lead.owner,
            "source": lead.source,
            **opportunity_values,
        }
        opportunity = pipeline_services.opportunity_create(acting_user=acting_user, values=values)
    # Everything that happened with the lead now belongs to what it became (one UPDATE each).
    Activity.all_objects.filter(lead_id=lead.pk).update(
        account_id=account.pk,
        contact_id=contact.pk,
        opportunity_id=opportunity.pk if opportunity is not None else F("opportunity_id"),
    )
    if opportunity is not None:
        QualificationAnswer.objects.filter(lead_id=lead.pk).update(opportunity_id=opportunity.pk)
    now = timezone.now()
    old_status = lead.status
    lead = _lead_update(
        acting_user=acting_user,
        lead=lead,
        values={
            "status": picklist_value("lead_status", STATUS_CONVERTED),
            "converted_at": now,
            "converted_by": acting_user,
            "converted_account": account,
            "converted_contact": contact,
            "converted_opportunity": opportunity,
        },
        old_status=old_status,
        check_permission=False,  # checked above; converted_* are not the caller's to set
    )
    return ConversionResult(
        account=account,
        contact=contact,
        opportunity=opportunity,
        account_created=account_created,
        contact_created=contact_created,
    )


def _address(lead: Lead) -> dict[str, Any]:
    return {
        name: getattr(lead, name)
        for name in ("street", "city", "postal_code", "region", "country")
        if getattr(lead, name)
    }


def _account_values(lead: Lead) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": lead.company or lead.full_name,
        "owner": lead.owner,
        **_address(lead),
    }
    for name in ("website", "phone", "industry"):
        if getattr(lead, name):
            values[name] = getattr(lead, name)
    return values


def _contact_values(lead: Lead, account: Account) -> dict[str, Any]:
    values: dict[str, Any] = {
        "first_name": lead.first_name,
        "last_name": lead.last_name,
        "account": account,
        "owner": lead.owner,
        **_address(lead),
    }
    for name in ("email", "phone", "job_title", "title_level"):
        if getattr(lead, name):
            values[name] = getattr(lead, name)
    return values


def _opportunity_name(lead: Lead, account: Account) -> str:
    return f"{account.name}: {lead.full_name}" if lead.company else lead.full_name


def account_matches(*, viewer: Any, lead: Lead) -> list[Account]:
    """Accounts the viewer can see that look like the lead's company: the same name (ignoring
    case, punctuation and legal form) or the same web site domain. Best first."""
    from rapport.customers.models import Account

    key = company_key(lead.company)
    domain = website_domain(lead.website)
    if not key and not domain:
        return []
    condition = Q()
    if key:
        # A cheap indexed-ish pre-filter on the first word; the exact rule is applied below.
        condition |= Q(name__istartswith=key.split(" ")[0])
    if domain:
        condition |= Q(website__icontains=domain)
    candidates = permissions.scope_queryset(
        viewer, "account", Account.objects.filter(condition).order_by("name", "id")
    )[:200]
    by_name = [a for a in candidates if key and company_key(a.name) == key]
    by_domain = [
        a for a in candidates if domain and website_domain(a.website) == domain and a not in by_name
    ]
    return by_name + by_domain


def match_account(*, viewer: Any, lead: Lead) -> Account | None:
    """The existing account a conversion reuses, if any."""
    found = account_matches(viewer=viewer, lead=lead)
    return found[0] if found else None


def contact_matches(*, viewer: Any, lead: Lead, account: Account | None = None) -> list[Contact]:
    """Contacts the viewer can see with the lead's e-mail (case-insensitive); those at the
    account first."""
    from rapport.customers.models import Contact

    if not lead.email:
        return []
    found = list(
        permissions.scope_queryset(
            viewer,
            "contact",
            Contact.objects.select_related("account").filter(email__iexact=lead.email),
        ).order_by("last_name", "id")[:50]
    )
    if account is not None:
        found.sort(key=lambda c: c.account_id != account.pk)
    return found


def match_contact(*, viewer: Any, lead: Lead, account: Account | None = None) -> Contact | None:
    """The existing contact a conversion reuses, if any: at `account` when one is given."""
    found = contact_matches(viewer=viewer, lead=lead, account=account)
    if account is not None:
        found = [c for c in found if c.account_id == account.pk]
    return found[0] if found else None
