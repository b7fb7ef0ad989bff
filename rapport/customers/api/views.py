"""The account and contact collections."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view

from rapport.api.records import RecordViewSet
from rapport.customers import services
from rapport.customers.api.serializers import AccountSerializer, ContactSerializer
from rapport.customers.filters import AccountFilter, ContactFilter
from rapport.customers.models import Account, Contact


@extend_schema_view(
    list=extend_schema(summary="List accounts"),
    retrieve=extend_schema(summary="Show an account"),
    create=extend_schema(summary="Add an account"),
    update=extend_schema(summary="Replace an account"),
    partial_update=extend_schema(summary="Change an account"),
    destroy=extend_schema(
        summary="Delete an account",
        description="The account goes to the recycle bin, from which an administrator restores it.",
        responses={204: None},
    ),
)
class AccountViewSet(RecordViewSet):
    record_type = "account"
    serializer_class = AccountSerializer
    filterset_class = AccountFilter
    search_fields = ("name", "website", "city")
    ordering_fields = ("name", "city", "country", "employees", "created_at", "updated_at")
    ordering = ("name", "id")

    def get_base_queryset(self) -> QuerySet[Account]:
        return Account.objects.select_related("parent", "industry", "owner")

    def create_record(self, data: dict[str, Any]) -> Account:
        return services.account_create(acting_user=self.request.user, values=data)

    def update_record(self, instance: Account, data: dict[str, Any]) -> Account:
        return services.account_update(acting_user=self.request.user, account=instance, values=data)

    def delete_record(self, instance: Account) -> None:
        services.account_delete(acting_user=self.request.user, account=instance)


@extend_schema_view(
    list=extend_schema(summary="List contacts"),
    retrieve=extend_schema(summary="Show a contact"),
    create=extend_schema(summary="Add a contact"),
    update=extend_schema(summary="Replace a contact"),
    partial_update=extend_schema(summary="Change a contact"),
    destroy=extend_schema(
        summary="Delete a contact",
        description="The contact goes to the recycle bin, from which an administrator restores it.",
        responses={204: None},
    ),
)
class ContactViewSet(RecordViewSet):
    record_type = "contact"
    serializer_class = ContactSerializer
    filterset_class = ContactFilter
    search_fields = ("first_name", "last_name", "email", "job_title")
    ordering_fields = ("last_name", "first_name", "email", "city", "created_at", "updated_at")
    ordering = ("last_name", "first_name", "id")

    def get_base_queryset(self) -> QuerySet[Contact]:
        return Contact.objects.select_related("account", "title_level", "owner")

    def create_record(self, data: dict[str, Any]) -> Contact:
        return services.contact_create(acting_user=self.request.user, values=data)

    def update_record(self, instance: Contact, data: dict[str, Any]) -> Contact:
        return services.contact_update(acting_user=self.request.user, contact=instance, values=data)

    def delete_record(self, instance: Contact) -> None:
        services.contact_delete(acting_user=self.request.user, contact=instance)
