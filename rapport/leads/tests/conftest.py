"""Fixtures of the leads tests."""

from __future__ import annotations

from typing import Any

import pytest

from rapport.leads.services import qualification_questions_ensure_defaults


@pytest.fixture(autouse=True)
def _questions(request: pytest.FixtureRequest) -> None:
    """A transactional test flushes the seeded questions with every table: seed them again."""
    if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        qualification_questions_ensure_defaults()


@pytest.fixture
def manager(make_user: Any) -> Any:
    return make_user(role="sales_manager")
