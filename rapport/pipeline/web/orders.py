"""Order pages: creating an order from a won opportunity, an order's page and its status."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, URLResolver, path, reverse
from django.views.decorators.http import require_POST

from rapport.access import permissions
from rapport.access.models import User
from rapport.core.models import PicklistValue
from rapport.pipeline import orders
from rapport.pipeline.models import Opportunity, Order
from rapport.web.records import Column, RecordDelete, RecordList, picklist_badge, record_urls


class OrderStatusForm(forms.Form):
    """Move an order to another status: the active values, plus its current one."""

    status = forms.ModelChoiceField(
        label="New status", queryset=PicklistValue.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, order: Order, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"status": order.status_id})
        super().__init__(*args, **kwargs)
        values = PicklistValue.objects.filter(picklist__key="order_status").filter(
            Q(is_active=True) | Q(pk=order.status_id)
        )
        field = self.fields["status"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = values.order_by("sort_order", "id")
        field.label_from_instance = _label  # type: ignore[method-assign,assignment]
        field.help_text = " · ".join(
            f"{value.label}: {value.definition}" for value in field.queryset if value.definition
        )


def _label(value: PicklistValue) -> str:
    return value.label


def _order_for(user: Any, pk: int, action: str) -> Order:
    """The order if the person may see it (404 otherwise), then the action's check (403)."""
    queryset = Order.objects.select_related("account", "owner", "status", "currency", "opportunity")
    scoped = permissions.scope_queryset(user, "order", queryset)
    order = scoped.filter(pk=pk).first()
    if order is None:
        permissions.check(user, "read", "order")  # 403 when the role may not read orders at all
        raise Http404("No such order.")
    permissions.check(user, action, "order")
    return order


def _detail_context(user: Any, order: Order, status_form: OrderStatusForm | None) -> dict[str, Any]:
    policy = permissions.policy_for(user, "order")
    [masked] = permissions.mask_hidden(user, "order", [order])
    can_edit = policy.can("edit") and "status" not in policy.protected_fields
    return {
        "order": masked,
        "lines": orders.order_lines(order),
        "hidden": policy.hidden_fields,
        "can_edit": can_edit,
        "can_delete": policy.can("delete"),
        "status_form": status_form or (OrderStatusForm(order=order) if can_edit else None),
        "history_url": reverse("core:history", args=["order", order.pk]),
    }


@login_required
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An order: customer, opportunity, status, lines and total."""
    order = _order_for(request.user, pk, "read")
    return render(
        request, "pipeline/orders/detail.html", _detail_context(request.user, order, None)
    )


@login_required
@require_POST
def order_status(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Move an order to another status."""
    order = _order_for(request.user, pk, "edit")
    form = OrderStatusForm(request.POST, order=order)
    if form.is_valid():
        try:
            orders.order_update(
                acting_user=request.user,
                order=order,
                values={"status": form.cleaned_data["status"]},
            )
        except ValidationError as error:
            form.add_error(None, ValidationError(error.messages))
        else:
            messages.success(request, f"Order {order.number} is now {order.status.label}.")
            return redirect("pipeline:order-detail", pk=order.pk)
    order = _order_for(request.user, pk, "read")
    return render(
        request,
        "pipeline/orders/detail.html",
        _detail_context(request.user, order, form),
        status=400,
    )


@login_required
@require_POST
def order_create_from_opportunity(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Turn a won opportunity into a draft order, then show the order."""
    opportunity = get_object_or_404(Opportunity, pk=pk)
    try:
        order = orders.order_create_from_opportunity(
            acting_user=request.user, opportunity=opportunity
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_opportunity_url(opportunity))
    messages.success(request, f"Order {order.number} created as a draft.")
    return redirect("pipeline:order-detail", pk=order.pk)


def _opportunity_url(opportunity: Opportunity) -> str:
    return reverse("pipeline:opportunity-detail", args=[opportunity.pk])


class OrderFilter(django_filters.FilterSet):
    status = django_filters.ModelChoiceFilter(
        queryset=PicklistValue.objects.filter(picklist__key="order_status").order_by(
            "sort_order", "id"
        ),
        label="Status",
        empty_label="Any status",
    )
    owner = django_filters.ModelChoiceFilter(
        queryset=User.objects.filter(is_active=True).order_by("first_name", "last_name"),
        label="Owner",
        empty_label="Any owner",
    )
    ordered_from = django_filters.DateFilter(
        field_name="order_date",
        lookup_expr="gte",
        label="Ordered on or after",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    ordered_to = django_filters.DateFilter(
        field_name="order_date",
        lookup_expr="lte",
        label="Ordered on or before",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = Order
        fields = ("status", "owner", "ordered_from", "ordered_to")


def _account_name(order: Order) -> str:
    return order.account.name


def _owner_name(order: Order) -> str:
    return order.owner.get_full_name()


def _total(order: Order) -> str:
    if order.total_amount is None:  # hidden from the viewer (masked)
        return ""
    return f"{order.total_amount} {order.currency.key}"


class OrderList(RecordList):
    record_type = "order"
    columns = (
        Column("number", "Number", field="number", sort="number", link=True),
        Column("account", "Customer", field="account", sort="account__name", value=_account_name),
        Column(
            "status",
            "Status",
            field="status",
            sort="status__sort_order",
            kind="badge",
            value=lambda order: picklist_badge(order.status),
        ),
        Column("order_date", "Ordered", field="order_date", sort="order_date", kind="date"),
        Column("owner", "Owner", field="owner", sort="owner__last_name", value=_owner_name),
        Column(
            "total_amount",
            "Total",
            field="total_amount",
            sort="total_amount",
            kind="num",
            value=_total,
        ),
    )
    filterset_class = OrderFilter
    search_fields = ("number", "account__name")
    default_sort = "-order_date"
    lede = "What won opportunities became. Create an order from a won opportunity's page."

    def get_queryset(self) -> QuerySet[Any]:
        return Order.objects.select_related("account", "owner", "status", "currency")


class OrderDelete(RecordDelete):
    record_type = "order"
    list_url_name = "pipeline:order-list"

    def delete(self, user: Any, obj: Any) -> None:
        orders.order_delete(acting_user=user, order=obj)


urlpatterns: list[URLPattern | URLResolver] = [
    *record_urls("orders", "order", list_view=OrderList, delete=OrderDelete),
    path("orders/<int:pk>/", order_detail, name="order-detail"),
    path("orders/<int:pk>/status/", order_status, name="order-status"),
    path(
        "opportunities/<int:pk>/order/",
        order_create_from_opportunity,
        name="order-create-from-opportunity",
    ),
]
