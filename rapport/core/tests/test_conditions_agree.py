"""The two evaluators agree: for generated conditions over generated opportunities (picklists,
stages, amounts, dates, nulls, related calls), `filter_queryset` selects exactly the records
`matches` accepts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rapport.access.models import User
from rapport.activities.models import Activity
from rapport.core.conditions import (
    AllOf,
    AnyOf,
    Compare,
    Count,
    Duration,
    Exists,
    FieldRef,
    Node,
    Not,
    filter_queryset,
    matches,
)
from rapport.core.models import PicklistValue
from rapport.customers.models import Account
from rapport.pipeline.defaults import stages_ensure_defaults
from rapport.pipeline.models import Opportunity, Stage

NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)
STAGES = ["prospecting", "discovery", "proposal", "negotiation", "closed_won", "closed_lost"]
SOURCES = ["web", "referral", "event"]
INDUSTRIES = ["software", "manufacturing"]
WORDS = st.text(alphabet="abcAB ", max_size=6)
AMOUNTS = st.none() | st.decimals(min_value=0, max_value=200, places=1)
DAY_OFFSETS = st.integers(min_value=-20, max_value=20)
DURATIONS = st.builds(Duration, st.integers(min_value=0, max_value=10), st.sampled_from("hdw"))
DATES = st.integers(min_value=-20, max_value=20).map(
    lambda days: (NOW.date() + dt.timedelta(days=days)).isoformat()
)

opportunities = st.lists(
    st.fixed_dictionaries(
        {
            "stage": st.sampled_from(STAGES),
            "amount": AMOUNTS,
            "probability": st.integers(min_value=0, max_value=100),
            "source": st.none() | st.sampled_from(SOURCES),
            "industry": st.none() | st.sampled_from(INDUSTRIES),
            "name": WORDS,
            "description": WORDS,
            "close_in_days": st.none() | DAY_OFFSETS,
            "stage_hours_ago": st.integers(min_value=0, max_value=400),
            "activities": st.lists(
                st.tuples(st.sampled_from(["call", "email", "meeting"]), WORDS, st.booleans()),
                max_size=4,
            ),
        }
    ),
    min_size=1,
    max_size=5,
)

field_pairs = st.one_of(
    st.builds(
        Compare,
        st.sampled_from(["amount", "probability"]),
        st.sampled_from(["=", "!=", "<", ">="]),
        st.sampled_from(["amount", "probability"]).map(FieldRef),
    ),
    st.builds(
        Compare,
        st.sampled_from(["forecast_close_date", "closed_at"]),
        st.sampled_from(["=", "!=", "<", ">=", "before", "after"]),
        st.sampled_from(["stage_changed_at", "forecast_close_date"]).map(FieldRef),
    ),
)
compares = st.one_of(
    field_pairs,
    st.builds(
        Compare,
        st.just("amount"),
        st.sampled_from(["=", "!=", "<", "<=", ">", ">="]),
        st.decimals(min_value=0, max_value=200, places=1),
    ),
    st.builds(
        Compare,
        st.just("probability"),
        st.sampled_from(["=", "!=", "<", ">="]),
        st.integers(min_value=0, max_value=100),
    ),
    st.builds(
        Compare,
        st.just("probability"),
        st.sampled_from(["in", "not_in"]),
        st.lists(st.integers(0, 100), min_size=1, max_size=3).map(tuple),
    ),
    st.builds(
        Compare,
        st.sampled_from(
            [
                "amount",
                "source",
                "account.industry",
                "forecast_close_date",
                "description",
                "closed_at",
            ]
        ),
        st.sampled_from(["is_empty", "is_not_empty"]),
    ),
    st.builds(
        Compare,
        st.just("stage"),
        st.sampled_from(["=", "!=", "<", "<=", ">", ">="]),
        st.sampled_from(STAGES),
    ),
    st.builds(
        Compare,
        st.sampled_from(["source", "stage"]),
        st.sampled_from(["in", "not_in"]),
        st.lists(st.sampled_from(SOURCES), min_size=1, max_size=2).map(tuple),
    ).filter(lambda c: c.field == "source"),
    st.builds(
        Compare,
        st.just("account.industry"),
        st.sampled_from(["=", "!="]),
        st.sampled_from(INDUSTRIES),
    ),
    st.builds(Compare, st.just("source"), st.sampled_from(["<", ">="]), st.sampled_from(SOURCES)),
    st.builds(
        Compare,
        st.sampled_from(["name", "description"]),
        st.sampled_from(["=", "!=", "contains", "starts_with"]),
        WORDS,
    ),
    st.builds(
        Compare,
        st.sampled_from(["forecast_close_date", "stage_changed_at"]),
        st.sampled_from(["older_than", "within"]),
        DURATIONS,
    ),
    st.builds(
        Compare,
        st.sampled_from(["forecast_close_date", "stage_changed_at", "closed_at"]),
        st.sampled_from(["before", "after"]),
        DATES,
    ),
    st.builds(Compare, st.just("forecast_close_date"), st.sampled_from(["=", "<", ">="]), DATES),
)
activity_where = st.none() | st.builds(
    Compare,
    st.sampled_from(["kind", "subject"]),
    st.just("="),
    st.sampled_from(["call", "email", "a"]),
).filter(lambda c: c is None or c.field == "subject" or c.value != "a")
aggregates = st.one_of(
    st.builds(
        Count,
        st.just("activities"),
        activity_where,
        st.sampled_from(["=", "!=", "<", ">="]),
        st.integers(0, 3),
    ),
    st.builds(Exists, st.just("activities"), activity_where),
)
conditions: st.SearchStrategy[Node] = st.recursive(
    compares | aggregates,
    lambda inner: st.one_of(
        st.builds(Not, inner),
        st.lists(inner, min_size=2, max_size=3).map(lambda xs: AllOf(tuple(xs))),
        st.lists(inner, min_size=2, max_size=3).map(lambda xs: AnyOf(tuple(xs))),
    ),
    max_leaves=5,
)


def _picklist(list_key: str, key: str) -> PicklistValue:
    from rapport.core.models import Picklist

    picklist = Picklist.objects.get(key=list_key)
    value, _ = PicklistValue.objects.get_or_create(
        picklist=picklist, key=key, defaults={"label": key.title(), "sort_order": len(key)}
    )
    return value


def _create(rows: list[dict[str, Any]], owner: User) -> list[Opportunity]:
    stages = {stage.key: stage for stage in Stage.objects.all()}
    for key in SOURCES:
        _picklist("lead_source", key)
    for key in INDUSTRIES:
        _picklist("industry", key)
    currency = PicklistValue.objects.filter(picklist__key="currency").order_by("sort_order")[0]
    created = []
    for row in rows:
        industry = row["industry"] and _picklist("industry", row["industry"])
        account = Account.objects.create(name="Acme", owner=owner, industry=industry)
        close = row["close_in_days"]
        opportunity = Opportunity.objects.create(
            name=row["name"],
            description=row["description"],
            account=account,
            owner=owner,
            stage=stages[row["stage"]],
            amount=row["amount"],
            probability=row["probability"],
            currency=currency,
            source=row["source"] and _picklist("lead_source", row["source"]),
            forecast_close_date=None if close is None else NOW.date() + dt.timedelta(days=close),
            stage_changed_at=NOW - dt.timedelta(hours=row["stage_hours_ago"]),
            closed_at=NOW if row["stage"].startswith("closed") else None,
        )
        for kind, subject, deleted in row["activities"]:
            Activity.objects.create(
                kind=kind,
                subject=subject,
                owner=owner,
                opportunity=opportunity,
                deleted_at=NOW if deleted else None,
            )
        created.append(opportunity)
    return created


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=opportunities, condition=conditions)
def test_to_query_and_matches_select_the_same_records(
    rep: User, rows: list[dict[str, Any]], condition: Node
) -> None:
    stages_ensure_defaults()
    with transaction.atomic():
        created = _create(rows, rep)
        ids = [o.pk for o in created]
        by_query = set(
            filter_queryset(Opportunity.objects.filter(pk__in=ids), condition, now=NOW).values_list(
                "pk", flat=True
            )
        )
        by_match = {
            o.pk for o in Opportunity.objects.filter(pk__in=ids) if matches(condition, o, now=NOW)
        }
        transaction.set_rollback(True)
    assert by_query == by_match, condition
