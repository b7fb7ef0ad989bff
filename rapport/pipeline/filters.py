"""Filters of the opportunity list and board, shared by the pages and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet

from rapport.access.models import Team, User
from rapport.pipeline.models import Opportunity, Stage


def _owners(request: Any) -> QuerySet[User]:
    return User.objects.filter(is_active=True).order_by("first_name", "last_name")


def _stages(request: Any) -> QuerySet[Stage]:
    return Stage.objects.order_by("sort_order", "id")


def _teams(request: Any) -> QuerySet[Team]:
    return Team.objects.filter(is_active=True).order_by("name")


class OpportunityFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=(("open", "Open"), ("won", "Won"), ("lost", "Lost")),
        field_name="stage__kind",
        empty_label="Open, won or lost",
    )
    stage = django_filters.ModelChoiceFilter(
        queryset=_stages, label="Stage", empty_label="Any stage"
    )
    owner = django_filters.ModelChoiceFilter(
        queryset=_owners, label="Owner", empty_label="Any owner"
    )
    team = django_filters.ModelChoiceFilter(
        queryset=_teams, field_name="owner__team", label="Team", empty_label="Any team"
    )
    # By id, for links from an account and for the API; not a box on the page.
    account = django_filters.NumberFilter(
        field_name="account_id", label="Account id", widget=forms.HiddenInput
    )
    close_from = django_filters.DateFilter(
        field_name="forecast_close_date",
        lookup_expr="gte",
        label="Closing from",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    close_to = django_filters.DateFilter(
        field_name="forecast_close_date",
        lookup_expr="lte",
        label="Closing until",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    amount_min = django_filters.NumberFilter(
        field_name="amount", lookup_expr="gte", label="Amount at least"
    )
    amount_max = django_filters.NumberFilter(
        field_name="amount", lookup_expr="lte", label="Amount at most"
    )

    class Meta:
        model = Opportunity
        fields = (
            "status",
            "stage",
            "owner",
            "team",
            "account",
            "close_from",
            "close_to",
            "amount_min",
            "amount_max",
        )
