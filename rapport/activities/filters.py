"""Filters of the activity list, shared by the page and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet

from rapport.access.models import User
from rapport.activities.models import Activity
from rapport.activities.timeline import SUBJECT_TYPES, activities_about
from rapport.core import records


def _owners(request: Any) -> QuerySet[User]:
    return User.objects.filter(is_active=True).order_by("first_name", "last_name")


class ActivityFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        choices=Activity.Kind.choices, label="Kind", empty_label="Any kind"
    )
    owner = django_filters.ModelChoiceFilter(queryset=_owners, label="Owner", empty_label="Anyone")
    open_tasks = django_filters.BooleanFilter(
        method="filter_open_tasks", label="Open tasks only", widget=forms.CheckboxInput
    )
    due_from = django_filters.DateFilter(
        field_name="due_date",
        lookup_expr="gte",
        label="Due from",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    due_to = django_filters.DateFilter(
        field_name="due_date",
        lookup_expr="lte",
        label="Due until",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    record = django_filters.CharFilter(method="filter_record", label="Record (e.g. account:5)")

    class Meta:
        model = Activity
        fields = ("kind", "owner", "open_tasks", "due_from", "due_to", "record")

    def filter_open_tasks(
        self, queryset: QuerySet[Activity], name: str, value: bool
    ) -> QuerySet[Activity]:
        if not value:
            return queryset
        return queryset.filter(kind=Activity.Kind.TASK, completed_at__isnull=True)

    def filter_record(
        self, queryset: QuerySet[Activity], name: str, value: str
    ) -> QuerySet[Activity]:
        record_type, _, raw_pk = value.strip().partition(":")
        if record_type not in SUBJECT_TYPES or not raw_pk.isdigit():
            return queryset.none()
        subject = records.get(record_type).model(pk=int(raw_pk))
        return queryset.filter(activities_about(record_type, subject))
