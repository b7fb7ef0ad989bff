"""How a record's data-quality score is worked out: start from 100, take off points per issue.

An issue is one thing to fix (the field and the reason); its cost depends on the record's stage:
a new lead needs a name, a company and one way to reach the person; a qualified lead also its
qualification answers; an opportunity at Proposal or later its amount and forecast close date.
Validity (does the e-mail or phone parse today), freshness (when it was last changed or touched)
and duplicate suspicion add their own issues.

The same rules score one record (its page) and thousands (the nightly snapshot): the facts come
from one `.values()` query per chunk with SQL annotations, and the rules run on those rows.
Validity is checked in Python because e-mail and phone parsing (email-validator, phonenumbers)
has no SQL equivalent.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import phonenumbers
from django.db.models import Exists, F, OuterRef, QuerySet
from django.utils import timezone
from email_validator import EmailNotValidError, validate_email

from rapport.customers.models import Account, Contact
from rapport.leads.models import Lead, QualificationAnswer
from rapport.pipeline.models import Opportunity, Stage

SCORED_TYPES = ("account", "contact", "lead", "opportunity")

Row = Mapping[str, Any]


@dataclass(frozen=True)
class Issue:
    """One thing to fix on a record."""

    field: str
    reason: str
    points: int

    def as_json(self) -> dict[str, Any]:
        return {"field": self.field, "reason": self.reason, "points": self.points}


@dataclass(frozen=True)
class RecordScore:
    """A record's score and the issues that took points off."""

    record_type: str
    object_id: int
    object_repr: str
    owner_id: int | None
    team_id: int | None
    score: int
    issues: tuple[Issue, ...]


# Extra issue sources (e.g. open duplicate pairs), registered by the apps that know them:
# `function(record_type, ids) -> {id: [Issue, ...]}`, one query per call, never per record.
IssueSource = Callable[[str, list[int]], Mapping[int, list[Issue]]]
_issue_sources: list[IssueSource] = []


def register_issue_source(function: IssueSource) -> None:
    """Add issues from another app (e.g. duplicate suspicion) to every score computed."""
    if function not in _issue_sources:
        _issue_sources.append(function)


def unregister_issue_source(function: IssueSource) -> None:
    """Take an issue source off (for tests)."""
    if function in _issue_sources:
        _issue_sources.remove(function)


def _email_issue(field: str, value: str) -> Issue | None:
    if not value:
        return None
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return Issue(field, "The e-mail address is not valid", 15)
    return None


def _phone_issue(field: str, value: str, country: str) -> Issue | None:
    if not value:
        return None
    try:
        number = phonenumbers.parse(value, country or None)
    except phonenumbers.NumberParseException:
        return Issue(field, "The phone number cannot be read (add the country code)", 15)
    if not phonenumbers.is_valid_number(number):
        return Issue(field, "The phone number is not a valid number", 15)
    return None


def _age_issue(last: datetime.datetime | None, now: datetime.datetime, days: int) -> Issue | None:
    if last is None or now - last <= datetime.timedelta(days=days):
        return None
    return Issue("updated_at", f"Not updated or touched for more than {days} days", 10)


def _some(*issues: Issue | None) -> list[Issue]:
    return [issue for issue in issues if issue is not None]


# --- Per type: the queryset of facts and the rules ---------------------------------------------


def _account_rows(queryset: QuerySet[Account]) -> QuerySet[Any, Any]:
    return queryset.values(
        "id",
        "name",
        "owner_id",
        "owner__team_id",
        "industry_id",
        "website",
        "phone",
        "country",
        "updated_at",
    )


def _account_issues(row: Row, now: datetime.datetime) -> list[Issue]:
    return _some(
        None if row["industry_id"] else Issue("industry", "No industry", 15),
        None if row["website"] else Issue("website", "No web site", 10),
        None if row["phone"] else Issue("phone", "No phone number", 10),
        None if row["country"] else Issue("country", "No country", 15),
        _phone_issue("phone", row["phone"], str(row["country"] or "")),
        _age_issue(row["updated_at"], now, 365),
    )


def _contact_rows(queryset: QuerySet[Contact]) -> QuerySet[Any, Any]:
    return queryset.values(
        "id",
        "first_name",
        "last_name",
        "owner_id",
        "owner__team_id",
        "account_id",
        "email",
        "phone",
        "mobile",
        "job_title",
        "title_level_id",
        "country",
        "updated_at",
    )


def _contact_issues(row: Row, now: datetime.datetime) -> list[Issue]:
    country = str(row["country"] or "")
    reachable = row["email"] or row["phone"] or row["mobile"]
    return _some(
        None if reachable else Issue("email", "No e-mail address or phone number", 25),
        None if not reachable or row["email"] else Issue("email", "No e-mail address", 10),
        None if row["title_level_id"] else Issue("title_level", "No title level", 15),
        None if row["job_title"] else Issue("job_title", "No job title", 5),
        None if row["account_id"] else Issue("account", "Not linked to an account", 10),
        _email_issue("email", row["email"]),
        _phone_issue("phone", row["phone"], country),
        _phone_issue("mobile", row["mobile"], country),
        _age_issue(row["updated_at"], now, 365),
    )


# Lead statuses after which the qualification answers are expected.
QUALIFIED_STATUSES = frozenset({"qualified", "converted"})
CLOSED_LEAD_STATUSES = frozenset({"converted", "disqualified", "unqualified", "lost"})


def _lead_rows(queryset: QuerySet[Lead]) -> QuerySet[Any, Any]:
    answered = Exists(QualificationAnswer.objects.filter(lead=OuterRef("pk")))
    return queryset.annotate(has_answers=answered, status_key=F("status__key")).values(
        "id",
        "first_name",
        "last_name",
        "company",
        "owner_id",
        "owner__team_id",
        "email",
        "phone",
        "job_title",
        "title_level_id",
        "country",
        "updated_at",
        "last_touched_at",
        "status_key",
        "has_answers",
        "converted_at",
    )


def _lead_issues(row: Row, now: datetime.datetime) -> list[Issue]:
    country = str(row["country"] or "")
    qualified = row["status_key"] in QUALIFIED_STATUSES
    is_open = row["status_key"] not in CLOSED_LEAD_STATUSES and row["converted_at"] is None
    touched = max(filter(None, (row["last_touched_at"], row["updated_at"])), default=None)
    return _some(
        None if row["first_name"] else Issue("first_name", "No first name", 10),
        None if row["company"] else Issue("company", "No company", 20),
        None
        if row["email"] or row["phone"]
        else Issue("email", "No way to reach them: no e-mail address or phone number", 25),
        None
        if not qualified or row["has_answers"]
        else Issue("qualification", "Qualified without qualification answers", 20),
        None
        if not qualified or row["title_level_id"]
        else Issue("title_level", "Qualified without a title level", 10),
        _email_issue("email", row["email"]),
        _phone_issue("phone", row["phone"], country),
        _age_issue(touched, now, 90) if is_open else None,
    )


def _proposal_order() -> int | None:
    """The sort order from which amount and forecast date are expected (the Proposal stage)."""
    return Stage.objects.filter(key="proposal").values_list("sort_order", flat=True).first()


def _opportunity_rows(queryset: QuerySet[Opportunity]) -> QuerySet[Any, Any]:
    return queryset.values(
        "id",
        "name",
        "owner_id",
        "owner__team_id",
        "contact_id",
        "amount",
        "forecast_close_date",
        "updated_at",
        "stage__kind",
        "stage__sort_order",
        "stage__probability",
    )


def _opportunity_issues(row: Row, now: datetime.datetime, proposal: int | None) -> list[Issue]:
    is_open = row["stage__kind"] == Stage.Kind.OPEN
    late_stage = (
        row["stage__sort_order"] >= proposal
        if proposal is not None
        else row["stage__probability"] >= 50
    )
    needs_numbers = late_stage or not is_open
    today = timezone.localdate(now)
    forecast = row["forecast_close_date"]
    return _some(
        None if not needs_numbers or row["amount"] else Issue("amount", "No amount", 25),
        None
        if not needs_numbers or forecast
        else Issue("forecast_close_date", "No forecast close date", 20),
        None
        if not is_open or forecast is None or forecast >= today
        else Issue("forecast_close_date", "The forecast close date has passed", 15),
        None if row["contact_id"] else Issue("contact", "No primary contact", 10),
        _age_issue(row["updated_at"], now, 60) if is_open else None,
    )


def _repr(record_type: str, row: Row) -> str:
    if record_type in ("contact", "lead"):
        return f"{row['first_name']} {row['last_name']}".strip()
    return str(row["name"])


def rows_for(record_type: str, queryset: QuerySet[Any]) -> QuerySet[Any, Any]:
    """The facts the rules need, one dict per record, in one query."""
    builders: dict[str, Callable[[QuerySet[Any]], QuerySet[Any, Any]]] = {
        "account": _account_rows,
        "contact": _contact_rows,
        "lead": _lead_rows,
        "opportunity": _opportunity_rows,
    }
    return builders[record_type](queryset)


def base_queryset(record_type: str) -> QuerySet[Any]:
    """Every live record of a scored type (the recycle bin is left out)."""
    models: dict[str, Any] = {
        "account": Account,
        "contact": Contact,
        "lead": Lead,
        "opportunity": Opportunity,
    }
    queryset: QuerySet[Any] = models[record_type].objects.all()
    return queryset


def score_rows(
    record_type: str, rows: Iterable[Row], *, now: datetime.datetime | None = None
) -> list[RecordScore]:
    """Score a batch of fact rows (a few queries for the whole batch, none per row)."""
    moment = now or timezone.now()
    batch = list(rows)
    ids = [row["id"] for row in batch]
    extra: dict[int, list[Issue]] = {}
    for source in _issue_sources:
        for object_id, found in source(record_type, ids).items():
            extra.setdefault(object_id, []).extend(found)
    proposal = _proposal_order() if record_type == "opportunity" else None
    scores: list[RecordScore] = []
    for row in batch:
        if record_type == "account":
            issues = _account_issues(row, moment)
        elif record_type == "contact":
            issues = _contact_issues(row, moment)
        elif record_type == "lead":
            issues = _lead_issues(row, moment)
        else:
            issues = _opportunity_issues(row, moment, proposal)
        issues.extend(extra.get(row["id"], ()))
        issues.sort(key=lambda issue: -issue.points)
        scores.append(
            RecordScore(
                record_type=record_type,
                object_id=row["id"],
                object_repr=_repr(record_type, row)[:255],
                owner_id=row["owner_id"],
                team_id=row["owner__team_id"],
                score=max(0, 100 - sum(issue.points for issue in issues)),
                issues=tuple(issues),
            )
        )
    return scores


def score_record(record_type: str, object_id: int) -> RecordScore | None:
    """Score one record now (None when it does not exist or is in the recycle bin)."""
    rows = rows_for(record_type, base_queryset(record_type).filter(pk=object_id))
    scored = score_rows(record_type, rows)
    return scored[0] if scored else None
