from __future__ import annotations

from typing import Any

from rest_framework import serializers

from rapport.api.records import RECORD_READ_ONLY, RecordSerializer
from rapport.customers.models import Account, Contact


class AccountSerializer(RecordSerializer):
    record_type = "account"
    owner_name = serializers.CharField(source="owner.get_full_name", read_only=True)
    parent_name = serializers.CharField(source="parent.name", read_only=True, allow_null=True)

    class Meta:
        model = Account
        fields = (
            "id",
            "name",
            "parent",
            "parent_name",
            "owner",
            "owner_name",
            "industry",
            "website",
            "phone",
            "employees",
            "annual_revenue",
            "street",
            "city",
            "postal_code",
            "region",
            "country",
            "description",
            "external_id",
            "created_at",
            "updated_at",
        )
        read_only_fields = RECORD_READ_ONLY
        extra_kwargs: dict[str, Any] = {"owner": {"required": False}}


class ContactSerializer(RecordSerializer):
    record_type = "contact"
    owner_name = serializers.CharField(source="owner.get_full_name", read_only=True)
    account_name = serializers.CharField(source="account.name", read_only=True, allow_null=True)

    class Meta:
        model = Contact
        fields = (
            "id",
            "first_name",
            "last_name",
            "account",
            "account_name",
            "owner",
            "owner_name",
            "job_title",
            "title_level",
            "email",
            "secondary_email",
            "phone",
            "mobile",
            "birthdate",
            "street",
            "city",
            "postal_code",
            "region",
            "country",
            "do_not_contact",
            "left_company",
            "description",
            "external_id",
            "created_at",
            "updated_at",
        )
        read_only_fields = RECORD_READ_ONLY
        extra_kwargs: dict[str, Any] = {"owner": {"required": False}}
