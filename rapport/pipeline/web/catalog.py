"""Pages for products, price lists and the line items on opportunities.

Mounted by pipeline/web/urls.py.

Line items are edited inside the opportunity page: every line view answers with the
`_opportunity_lines.html` card (HTMX swaps it in place), or, without HTMX, with the opportunity's
lines page.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, URLResolver, path, reverse
from django.views.decorators.http import require_POST

from rapport.access import permissions
from rapport.pipeline import catalog
from rapport.pipeline.models import LineItem, Opportunity, Order, Product
from rapport.pipeline.web import orders as order_pages

LINES_TEMPLATE = "pipeline/catalog/_opportunity_lines.html"


# Line items ---------------------------------------------------------------------------------------


class LineItemForm(forms.Form):
    """A product on an opportunity; an empty unit price takes the price list's."""

    product = forms.ModelChoiceField(
        queryset=Product.objects.none(),
        help_text=str(LineItem._meta.get_field("product").help_text),
    )
    quantity = forms.DecimalField(
        min_value=0.01,
        max_digits=12,
        decimal_places=2,
        initial=1,
        help_text=str(LineItem._meta.get_field("quantity").help_text),
    )
    unit_price = forms.DecimalField(
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text="Leave empty to use the price from the opportunity's price list.",
    )
    discount_percent = forms.DecimalField(
        label="Discount %",
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        initial=0,
        help_text=str(LineItem._meta.get_field("discount_percent").help_text),
    )

    def __init__(self, *args: Any, line: LineItem | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        product_field = self.fields["product"]
        assert isinstance(product_field, forms.ModelChoiceField)
        if line is not None:
            # A line keeps its product: change the quantity or price, or remove it.
            del self.fields["product"]
            self.fields["unit_price"].required = True
            self.fields["unit_price"].help_text = str(
                LineItem._meta.get_field("unit_price").help_text
            )
        else:
            product_field.queryset = Product.objects.filter(is_active=True).only(
                "id", "name", "code"
            )


def _lines_opportunity(pk: int) -> Opportunity:
    """The opportunity with its lines and their products loaded (the card reads them)."""
    return get_object_or_404(
        Opportunity.objects.select_related("currency", "stage").prefetch_related(
            Prefetch("line_items", queryset=LineItem.objects.select_related("product"))
        ),
        pk=pk,
    )


def _can_change_lines(user: Any, opportunity: Opportunity) -> bool:
    """Whether the card offers add/edit/remove (the services decide again on every write)."""
    policy = permissions.policy_for(user, "opportunity")
    return (
        policy.can("edit")
        and "amount" not in policy.protected_fields
        and permissions.in_scope(user, "opportunity", opportunity)
        and not Order.all_objects.filter(opportunity_id=opportunity.pk).exists()
    )


def _lines_response(
    request: HttpRequest,
    opportunity_pk: int,
    *,
    line_form: LineItemForm | None = None,
    line_form_action: str = "",
    editing_line: LineItem | None = None,
    status: int = 200,
) -> HttpResponse:
    opportunity = _lines_opportunity(opportunity_pk)
    context = {
        "opportunity": opportunity,
        "can_edit": _can_change_lines(request.user, opportunity),
        "line_form": line_form,
        "line_form_action": line_form_action,
        "editing_line": editing_line,
    }
    if getattr(request, "htmx", False):
        # htmx leaves 4xx answers unswapped: a form with errors comes back as 200.
        return render(request, LINES_TEMPLATE, context)
    return render(request, "pipeline/catalog/opportunity_lines.html", context, status=status)


@login_required
def opportunity_lines(request: HttpRequest, pk: int) -> HttpResponse:
    """The products of one opportunity (the card of its page, on its own)."""
    opportunity = _lines_opportunity(pk)
    permissions.check(request.user, "read", "opportunity", opportunity)
    return _lines_response(request, pk)


def _apply_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error)


def _after_line_change(request: HttpRequest, opportunity_pk: int) -> HttpResponseBase:
    if getattr(request, "htmx", False):
        response = _lines_response(request, opportunity_pk)
        # The opportunity page may show the amount elsewhere: tell it the amount may have changed.
        response["HX-Trigger"] = "opportunity-amount-changed"
        return response
    return redirect("pipeline:opportunity-lines", pk=opportunity_pk)


@login_required
def line_item_add(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Add a product to an opportunity: the form (GET) or the new line (POST)."""
    opportunity = get_object_or_404(Opportunity, pk=pk)
    if not _can_change_lines(request.user, opportunity):
        permissions.check(request.user, "edit", "opportunity", opportunity)
        raise PermissionDenied("These lines can no longer change.")
    action = reverse("pipeline:line-item-add", args=[pk])
    if request.method != "POST":
        return _lines_response(request, pk, line_form=LineItemForm(), line_form_action=action)
    form = LineItemForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            catalog.line_item_add(
                acting_user=request.user,
                opportunity=opportunity,
                product=data["product"],
                quantity=data["quantity"],
                unit_price=data["unit_price"],
                discount_percent=data["discount_percent"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return _after_line_change(request, pk)
    return _lines_response(request, pk, line_form=form, line_form_action=action, status=400)


def _line(pk: int) -> LineItem:
    return get_object_or_404(LineItem.objects.select_related("product", "opportunity"), pk=pk)


@login_required
def line_item_edit(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Change a line's quantity, unit price or discount: the form (GET) or the change (POST)."""
    line = _line(pk)
    opportunity = line.opportunity
    if not _can_change_lines(request.user, opportunity):
        permissions.check(request.user, "edit", "opportunity", opportunity)
        raise PermissionDenied("These lines can no longer change.")
    action = reverse("pipeline:line-item-edit", args=[pk])
    if request.method != "POST":
        form = LineItemForm(
            line=line,
            initial={
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "discount_percent": line.discount_percent,
            },
        )
        return _lines_response(
            request, opportunity.pk, line_form=form, line_form_action=action, editing_line=line
        )
    form = LineItemForm(request.POST, line=line)
    if form.is_valid():
        try:
            catalog.line_item_update(
                acting_user=request.user, line_item=line, values=form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return _after_line_change(request, opportunity.pk)
    return _lines_response(
        request,
        opportunity.pk,
        line_form=form,
        line_form_action=action,
        editing_line=line,
        status=400,
    )


@login_required
@require_POST
def line_item_remove(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Take a line off its opportunity."""
    line = _line(pk)
    catalog.line_item_remove(acting_user=request.user, line_item=line)
    return _after_line_change(request, line.opportunity_id)


urlpatterns: list[URLPattern | URLResolver] = [
    path("opportunities/<int:pk>/lines/", opportunity_lines, name="opportunity-lines"),
    path("opportunities/<int:pk>/lines/add/", line_item_add, name="line-item-add"),
    path("line-items/<int:pk>/edit/", line_item_edit, name="line-item-edit"),
    path("line-items/<int:pk>/remove/", line_item_remove, name="line-item-remove"),
    *order_pages.urlpatterns,
]
