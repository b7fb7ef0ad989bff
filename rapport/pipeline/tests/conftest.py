"""Fixtures for the pipeline's tests: an account, the default stages by key, a deal."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from rapport.access.models import User
from rapport.customers.models import Account
from rapport.pipeline import services
from rapport.pipeline.defaults import stages_ensure_defaults
from rapport.pipeline.models import Opportunity, OpportunityStep, Stage


@pytest.fixture
def stages(db: None) -> dict[str, Stage]:
    """The default stages by key (seeded again after a transactional test's flush)."""
    stages_ensure_defaults()
    return {stage.key: stage for stage in Stage.objects.all()}


@pytest.fixture
def account(rep: User) -> Account:
    return Account.objects.create(name="Acme GmbH", owner=rep)


@pytest.fixture
def make_opportunity(stages: dict[str, Stage], account: Account) -> Callable[..., Opportunity]:
    """Create a deal through the service (so it has its first step and task)."""

    def factory(owner: User, **values: Any) -> Opportunity:
        values.setdefault("name", "Big deal")
        values.setdefault("account", account)
        values.setdefault("owner", owner)
        return services.opportunity_create(acting_user=owner, values=values)

    return factory


@pytest.fixture
def opportunity(make_opportunity: Callable[..., Opportunity], rep: User) -> Opportunity:
    return make_opportunity(rep)


def complete_steps(opportunity: Opportunity, user: User) -> None:
    """Do every step of the deal's stage, as the rep would, one after the other."""
    while True:
        open_step = OpportunityStep.objects.filter(
            opportunity=opportunity, completed_at__isnull=True, step__stage=opportunity.stage
        ).first()
        if open_step is None:
            return
        services.opportunity_step_complete(acting_user=user, opportunity_step=open_step)


def ready_for(opportunity: Opportunity, user: User, target: Stage) -> Opportunity:
    """Walk the deal forward stage by stage until the next move is to `target`."""
    order = list(Stage.objects.active().open().order_by("sort_order", "id"))
    for stage in order:
        if stage.sort_order >= target.sort_order:
            break
        if stage.sort_order <= opportunity.stage.sort_order:
            continue
        complete_steps(opportunity, user)
        services.opportunity_move_stage(
            acting_user=user,
            opportunity=opportunity,
            stage=stage,
            values={"amount": Decimal("5000"), "forecast_close_date": datetime.date(2027, 3, 31)},
        )
    complete_steps(opportunity, user)
    return opportunity
