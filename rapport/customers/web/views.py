"""Account and contact pages: lists, the customer 360 pages, the account structure, forms."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from rapport.access import permissions
from rapport.activities.timeline import timeline_for
from rapport.customers import selectors, services
from rapport.customers.filters import AccountFilter, ContactFilter
from rapport.customers.models import Account, Contact
from rapport.customers.web.forms import AccountForm, ContactForm
from rapport.web.records import Column, RecordDelete, RecordDetail, RecordFormView, RecordList


def _timeline(user: Any, subject_type: str, subject: Any) -> dict[str, Any]:
    """The customer 360 timeline: activities, opportunities, orders, newest first."""
    return {
        "timeline_entries": timeline_for(viewer=user, subject_type=subject_type, subject=subject),
        "has_timeline": True,
    }


def _badge(value: Any) -> Any:
    return {"label": value.label, "color": value.color or "gray"} if value else None


class AccountList(RecordList):
    record_type = "account"
    title = "Accounts"
    lede = "Companies we sell to, with their groups and subsidiaries."
    filterset_class = AccountFilter
    search_fields = ("name", "website", "city")
    default_sort = "name"
    create_url_name = "customers:account-create"
    log_call = True
    columns = (
        Column("name", "Account", field="name", sort="name", link=True),
        Column("parent", "Parent", field="parent", value=lambda a: a.parent or ""),
        Column(
            "industry",
            "Industry",
            field="industry",
            kind="badge",
            value=lambda a: _badge(a.industry),
        ),
        Column("city", "City", field="city", sort="city"),
        Column(
            "country",
            "Country",
            field="country",
            sort="country",
            value=lambda a: a.country.name if a.country else "",
        ),
        Column("owner", "Owner", field="owner", value=lambda a: a.owner.get_full_name()),
        Column(
            "employees", "Employees", field="employees", sort="employees", kind="num", default=False
        ),
        Column(
            "annual_revenue",
            "Revenue",
            field="annual_revenue",
            sort="annual_revenue",
            kind="num",
            default=False,
        ),
        Column(
            "updated", "Updated", field="updated_at", sort="updated_at", kind="date", default=False
        ),
    )

    def get_queryset(self) -> QuerySet[Account]:
        return Account.objects.select_related("parent", "industry", "owner")


class AccountDetail(RecordDetail):
    record_type = "account"
    template_name = "customers/account_detail.html"

    def get_queryset(self) -> QuerySet[Account]:
        return Account.objects.select_related("parent", "industry", "owner")

    def extra_context(self, request: HttpRequest, user: Any, obj: Any) -> dict[str, Any]:
        contacts = permissions.mask_hidden(
            user,
            "contact",
            permissions.scope_queryset(
                user, "contact", Contact.objects.filter(account=obj).select_related("title_level")
            ).order_by("left_company", "last_name", "first_name")[:50],
        )
        subsidiaries = permissions.scope_queryset(
            user, "account", Account.objects.filter(parent=obj).order_by("name")
        )[:50]
        structure = selectors.account_structure(viewer=user, account=obj)
        pipeline, group_contacts = selectors.structure_totals(structure)
        return {
            "contacts": contacts,
            "subsidiaries": subsidiaries,
            "group_pipeline": pipeline,
            "group_contacts": group_contacts,
            "has_group": bool(structure.children),
            **_timeline(user, "account", obj),
        }


class AccountStructure(RecordDetail):
    """The graphical structure of an account's group: subsidiaries, contacts, open pipeline."""

    record_type = "account"
    template_name = "customers/account_structure.html"

    def extra_context(self, request: HttpRequest, user: Any, obj: Any) -> dict[str, Any]:
        structure = selectors.account_structure(viewer=user, account=obj)
        pipeline, contacts = selectors.structure_totals(structure)
        return {"structure": structure, "group_pipeline": pipeline, "group_contacts": contacts}


class AccountEdit(RecordFormView):
    record_type = "account"
    form_class = AccountForm
    list_url_name = "customers:account-list"

    def initial(self, request: HttpRequest, user: Any) -> dict[str, Any]:
        return {"owner": user.pk, "parent": request.GET.get("parent") or None}

    def create(self, user: Any, values: dict[str, Any], form: Any) -> Account:
        return services.account_create(acting_user=user, values=values)

    def update(self, user: Any, obj: Any, values: dict[str, Any], form: Any) -> Account:
        return services.account_update(acting_user=user, account=obj, values=values)


class AccountDelete(RecordDelete):
    record_type = "account"
    list_url_name = "customers:account-list"

    def delete(self, user: Any, obj: Any) -> None:
        services.account_delete(acting_user=user, account=obj)


class ContactList(RecordList):
    record_type = "contact"
    title = "Contacts"
    lede = "The people at our accounts."
    filterset_class = ContactFilter
    search_fields = ("first_name", "last_name", "email", "job_title")
    default_sort = "last_name"
    create_url_name = "customers:contact-create"
    log_call = True
    columns = (
        Column(
            "name",
            "Name",
            field="last_name",
            sort="last_name",
            link=True,
            value=lambda c: c.full_name,
        ),
        Column("account", "Account", field="account", value=lambda c: c.account or ""),
        Column("job_title", "Job title", field="job_title", sort="job_title"),
        Column(
            "title_level",
            "Level",
            field="title_level",
            kind="badge",
            value=lambda c: _badge(c.title_level),
        ),
        Column("email", "Email", field="email", sort="email"),
        Column("phone", "Phone", field="phone"),
        Column("owner", "Owner", field="owner", value=lambda c: c.owner.get_full_name()),
        Column("city", "City", field="city", sort="city", default=False),
        Column(
            "do_not_contact", "Do not contact", field="do_not_contact", kind="bool", default=False
        ),
        Column(
            "updated", "Updated", field="updated_at", sort="updated_at", kind="date", default=False
        ),
    )

    def get_queryset(self) -> QuerySet[Contact]:
        return Contact.objects.select_related("account", "title_level", "owner")


class ContactDetail(RecordDetail):
    record_type = "contact"
    template_name = "customers/contact_detail.html"

    def get_queryset(self) -> QuerySet[Contact]:
        return Contact.objects.select_related("account", "title_level", "owner")

    def extra_context(self, request: HttpRequest, user: Any, obj: Any) -> dict[str, Any]:
        colleagues = permissions.scope_queryset(
            user,
            "contact",
            Contact.objects.filter(account_id=obj.account_id, account__isnull=False)
            .exclude(pk=obj.pk)
            .filter(Q(left_company=False)),
        ).order_by("last_name")[:10]
        return {"colleagues": colleagues, **_timeline(user, "contact", obj)}


class ContactEdit(RecordFormView):
    record_type = "contact"
    form_class = ContactForm
    list_url_name = "customers:contact-list"

    def initial(self, request: HttpRequest, user: Any) -> dict[str, Any]:
        return {"owner": user.pk, "account": request.GET.get("account") or None}

    def create(self, user: Any, values: dict[str, Any], form: Any) -> Contact:
        return services.contact_create(acting_user=user, values=values)

    def update(self, user: Any, obj: Any, values: dict[str, Any], form: Any) -> Contact:
        return services.contact_update(acting_user=user, contact=obj, values=values)


class ContactDelete(RecordDelete):
    record_type = "contact"
    list_url_name = "customers:contact-list"

    def delete(self, user: Any, obj: Any) -> None:
        services.contact_delete(acting_user=user, contact=obj)
