"""Fixtures for the validation rules' tests: deals by stage, a form's current values, clients."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django import forms
from django.forms.models import model_to_dict
from django.test import Client
from rest_framework.test import APIClient

from rapport.access.models import User
from rapport.customers.models import Account
from rapport.pipeline import services
from rapport.pipeline.defaults import stages_ensure_defaults
from rapport.pipeline.models import Opportunity, Stage
from rapport.quality.rules.models import ValidationRule
from rapport.quality.rules.services import rule_create


@pytest.fixture(autouse=True)
def _without_default_rules(db: None) -> None:
    """Start from no rules: the shipped (disabled) defaults would only add noise to counts."""
    ValidationRule.objects.all().delete()


@pytest.fixture
def stages(db: None) -> dict[str, Stage]:
    stages_ensure_defaults()
    return {stage.key: stage for stage in Stage.objects.all()}


@pytest.fixture
def account(rep: User) -> Account:
    return Account.objects.create(name="Acme GmbH", owner=rep)


@pytest.fixture
def make_deal(stages: dict[str, Stage], account: Account, rep: User) -> Callable[..., Opportunity]:
    """A deal created through the service, then put at `stage` directly (no gates in the way)."""

    def factory(stage: str = "prospecting", **values: Any) -> Opportunity:
        values.setdefault("name", "Big deal")
        values.setdefault("account", account)
        values.setdefault("amount", Decimal(1000))
        deal = services.opportunity_create(acting_user=rep, values=values)
        Opportunity.objects.filter(pk=deal.pk).update(stage=stages[stage])
        return Opportunity.objects.get(pk=deal.pk)

    return factory


@pytest.fixture
def make_rule(admin_user: User) -> Callable[..., ValidationRule]:
    def factory(**values: Any) -> ValidationRule:
        values.setdefault("kind", ValidationRule.Kind.REQUIRED_WHEN)
        values.setdefault("message", "Fix it.")
        return rule_create(values=values, acting_user=admin_user)

    return factory


@pytest.fixture
def rep_client(client: Client, rep: User) -> Client:
    client.force_login(rep)
    return client


@pytest.fixture
def admin_client(client: Client, admin_user: User) -> Client:
    client.force_login(admin_user)
    return client


@pytest.fixture
def rep_api(rep: User) -> APIClient:
    api = APIClient()
    api.force_authenticate(rep)
    return api


def form_data(form_class: type[forms.ModelForm[Any]], obj: Any, **changes: Any) -> dict[str, Any]:
    """What the edit page posts for `obj` with `changes` made (None: the field left empty)."""
    fields = form_class._meta.fields
    values = model_to_dict(obj, fields=list(fields) if fields else None)
    values.update(changes)
    return {k: ("" if v is None else v) for k, v in values.items()}
