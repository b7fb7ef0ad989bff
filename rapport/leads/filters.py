"""Filters of the lead list, shared by the page and the API."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone

from rapport.access.models import User
from rapport.core.models import PicklistValue
from rapport.leads.models import Lead


def _picklist(key: str) -> QuerySet[PicklistValue]:
    return PicklistValue.objects.filter(picklist__key=key).order_by("sort_order", "id")


def _owners(request: Any) -> QuerySet[User]:
    return User.objects.filter(is_active=True).order_by("first_name", "last_name")


class PicklistKeyFilter(django_filters.ModelChoiceFilter):
    """A picklist filter that takes the value's key (?status=qualified) as well as its id."""

    def __init__(self, picklist_key: str, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", _picklist(picklist_key))
        kwargs.setdefault("to_field_name", "key")
        super().__init__(**kwargs)


class LeadFilter(django_filters.FilterSet):
    status = PicklistKeyFilter("lead_status", label="Status", empty_label="Any status")
    source = PicklistKeyFilter("lead_source", label="Source", empty_label="Any source")
    owner = django_filters.ModelChoiceFilter(
        queryset=_owners, label="Owner", empty_label="Any owner"
    )
    untouched_days = django_filters.NumberFilter(
        method="filter_untouched",
        label="Untouched for (days)",
        help_text="Leads not touched (call logged or status changed) for at least this many days.",
    )
    converted = django_filters.ChoiceFilter(
        method="filter_converted",
        label="Conversion",
        choices=(("no", "Not converted"), ("yes", "Converted")),
        empty_label="Converted or not",
    )

    class Meta:
        model = Lead
        fields = ("status", "source", "owner", "untouched_days", "converted")

    def filter_converted(self, queryset: QuerySet[Lead], name: str, value: Any) -> QuerySet[Lead]:
        if value not in ("yes", "no"):
            return queryset
        return queryset.filter(converted_at__isnull=value == "no")

    def filter_untouched(self, queryset: QuerySet[Lead], name: str, value: Any) -> QuerySet[Lead]:
        if value is None:
            return queryset
        cutoff = timezone.now() - datetime.timedelta(days=float(value))
        return queryset.filter(Q(last_touched_at__isnull=True) | Q(last_touched_at__lt=cutoff))
