"""Filters of the account and contact lists, shared by the pages and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django_countries import countries

from rapport.access.models import User
from rapport.core.models import PicklistValue
from rapport.customers.models import Account, Contact


def _picklist(key: str) -> QuerySet[PicklistValue]:
    return PicklistValue.objects.filter(picklist__key=key).order_by("sort_order", "id")


# Yes/no filters read "Any / Yes / No" rather than Django's "Unknown / Yes / No".
YES_NO = forms.Select(choices=[("", "Any"), ("true", "Yes"), ("false", "No")])


def _owners(request: Any) -> QuerySet[User]:
    return User.objects.filter(is_active=True).order_by("first_name", "last_name")


class AccountFilter(django_filters.FilterSet):
    owner = django_filters.ModelChoiceFilter(
        queryset=_owners, label="Owner", empty_label="Any owner"
    )
    industry = django_filters.ModelChoiceFilter(
        queryset=_picklist("industry"), label="Industry", empty_label="Any industry"
    )
    country = django_filters.ChoiceFilter(
        choices=countries, label="Country", empty_label="Any country"
    )
    # By id, for links ("subsidiaries of …") and the API; not a box on the page.
    parent = django_filters.NumberFilter(
        field_name="parent_id", label="Parent account id", widget=forms.HiddenInput
    )
    top_level = django_filters.BooleanFilter(
        field_name="parent",
        lookup_expr="isnull",
        label="Groups",
        widget=forms.Select(choices=[("", "All accounts"), ("true", "Top-level only")]),
    )

    class Meta:
        model = Account
        fields = ("owner", "industry", "country", "parent", "top_level")


class ContactFilter(django_filters.FilterSet):
    owner = django_filters.ModelChoiceFilter(
        queryset=_owners, label="Owner", empty_label="Any owner"
    )
    account = django_filters.NumberFilter(
        field_name="account_id", label="Account id", widget=forms.HiddenInput
    )
    title_level = django_filters.ModelChoiceFilter(
        queryset=_picklist("title_level"), label="Title level", empty_label="Any level"
    )
    do_not_contact = django_filters.BooleanFilter(label="Do not contact", widget=YES_NO)
    left_company = django_filters.BooleanFilter(label="Left the company", widget=YES_NO)
    country = django_filters.ChoiceFilter(
        choices=countries, label="Country", empty_label="Any country"
    )

    class Meta:
        model = Contact
        fields = ("owner", "account", "title_level", "do_not_contact", "left_company", "country")
