"""The sales demo refuses, with a clear message, to run without the stages and questions the
pipeline and leads migrations seed (it never invents them)."""

from __future__ import annotations

import pytest
from django.core.management.base import CommandError
from django.test import override_settings

from rapport.customers.models import Account
from rapport.demo.builder import demo_build
from rapport.leads.models import QualificationQuestion
from rapport.pipeline.models import Stage


@override_settings(DEMO_SALES_SCALE=0.02)
def test_without_stages_the_demo_says_so_and_builds_nothing(db):
    Stage.objects.update(is_active=False)

    with pytest.raises(CommandError, match="pipeline's stages"):
        demo_build()

    assert not Account.objects.exists()


@override_settings(DEMO_SALES_SCALE=0.02)
def test_without_qualification_questions_the_demo_says_so_and_builds_nothing(db):
    QualificationQuestion.objects.update(is_active=False)

    with pytest.raises(CommandError, match="qualification questions"):
        demo_build()

    assert not Account.objects.exists()
