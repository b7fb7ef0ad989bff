"""Pages for products, price lists and the line items on opportunities.

Mounted by pipeline/web/urls.py.

Line items are edited inside the opportunity page: every line view answers with the
`_opportunity_lines.html` card (HTMX swaps it in place), or, without HTMX, with the opportunity's
lines page.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, URLResolver, path, reverse
from django.views.decorators.http import require_POST

from rapport.access import permissions
from rapport.core.models import PicklistValue
from rapport.pipeline import catalog
from rapport.pipeline.models import (
    LineItem,
    Opportunity,
    PriceList,
    PriceListEntry,
    Product,
)
from rapport.pipeline.web import orders as order_pages
from rapport.web.records import (
    Column,
    RecordDelete,
    RecordDetail,
    RecordFormView,
    RecordList,
    picklist_badge,
    record_urls,
)

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
        Opportunity.objects.select_related("currency", "stage", "order").prefetch_related(
            Prefetch("line_items", queryset=LineItem.objects.select_related("product"))
        ),
        pk=pk,
    )


def _can_change_lines(user: Any, opportunity: Opportunity) -> bool:
    """Whether the card offers add/edit/remove (the services decide again on every write)."""
    if not permissions.policy_for(user, "opportunity").can("edit"):
        return False  # without a query
    try:
        catalog.lines_check_changeable(acting_user=user, opportunity=opportunity)
    except (PermissionDenied, ValidationError, Http404):
        return False
    return True


def _require_changeable_lines(user: Any, opportunity: Opportunity) -> None:
    """404 or 403 (with the reason) unless the person may change the deal's lines."""
    try:
        catalog.lines_check_changeable(acting_user=user, opportunity=opportunity)
    except ValidationError as error:
        raise PermissionDenied(" ".join(error.messages)) from None


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
        "prices_hidden": "amount" in permissions.hidden_fields_of(request.user, "opportunity"),
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
    _require_changeable_lines(request.user, opportunity)
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
    _require_changeable_lines(request.user, opportunity)
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


# Products -----------------------------------------------------------------------------------------


def _picklist(key: str) -> QuerySet[PicklistValue]:
    return PicklistValue.objects.filter(picklist__key=key).order_by("sort_order", "id")


class ProductFilter(django_filters.FilterSet):
    family = django_filters.ModelChoiceFilter(
        queryset=_picklist("product_family"), label="Family", empty_label="Any family"
    )
    is_active = django_filters.BooleanFilter(label="Active")

    class Meta:
        model = Product
        fields = ("family", "is_active")


class ProductForm(forms.ModelForm[Product]):
    class Meta:
        model = Product
        fields = ("name", "code", "family", "description", "is_active")


class ProductList(RecordList):
    record_type = "product"
    columns = (
        Column("name", "Name", field="name", sort="name", link=True),
        Column("code", "Code", field="code", sort="code"),
        Column(
            "family",
            "Family",
            field="family",
            sort="family__sort_order",
            kind="badge",
            value=lambda product: picklist_badge(product.family),
        ),
        Column("is_active", "Active", field="is_active", sort="is_active", kind="bool"),
        Column("created_at", "Added", field="created_at", sort="created_at", kind="date"),
    )
    filterset_class = ProductFilter
    search_fields = ("name", "code")
    default_sort = "name"
    create_url_name = "pipeline:product-create"
    lede = "What we sell. Prices live on price lists; retired products can no longer be sold."
    extra_actions = (("Price lists", "pipeline:price-list-list"),)

    def get_queryset(self) -> QuerySet[Any]:
        return Product.objects.select_related("family")


class ProductDetail(RecordDetail):
    record_type = "product"
    template_name = "pipeline/catalog/product_detail.html"

    def get_queryset(self) -> QuerySet[Any]:
        return Product.objects.select_related("family")

    def extra_context(self, request: HttpRequest, user: Any, obj: Any) -> dict[str, Any]:
        can_see_lists = permissions.policy_for(user, "price_list").can("read")
        return {"prices": catalog.product_prices(obj) if can_see_lists else []}


class ProductFormView(RecordFormView):
    record_type = "product"
    form_class = ProductForm
    list_url_name = "pipeline:product-list"

    def create(self, user: Any, values: dict[str, Any], form: forms.ModelForm[Any]) -> Model:
        return catalog.product_create(acting_user=user, values=values)

    def update(
        self, user: Any, obj: Any, values: dict[str, Any], form: forms.ModelForm[Any]
    ) -> Model:
        return catalog.product_update(acting_user=user, product=obj, values=values)


class ProductDelete(RecordDelete):
    record_type = "product"
    list_url_name = "pipeline:product-list"

    def delete(self, user: Any, obj: Any) -> None:
        catalog.product_delete(acting_user=user, product=obj)


# Price lists --------------------------------------------------------------------------------------


class PriceListFilter(django_filters.FilterSet):
    currency = django_filters.ModelChoiceFilter(
        queryset=_picklist("currency"), label="Currency", empty_label="Any currency"
    )
    is_default = django_filters.BooleanFilter(label="Default")
    is_active = django_filters.BooleanFilter(label="Active")

    class Meta:
        model = PriceList
        fields = ("currency", "is_default", "is_active")


class PriceListForm(forms.ModelForm[PriceList]):
    class Meta:
        model = PriceList
        fields = ("name", "currency", "is_default", "is_active")


class PriceListList(RecordList):
    record_type = "price_list"
    columns = (
        Column("name", "Name", field="name", sort="name", link=True),
        Column(
            "currency",
            "Currency",
            field="currency",
            sort="currency__sort_order",
            value=lambda price_list: price_list.currency.label,
        ),
        Column("is_default", "Default", field="is_default", sort="is_default", kind="bool"),
        Column("is_active", "Active", field="is_active", sort="is_active", kind="bool"),
        Column("updated_at", "Changed", field="updated_at", sort="updated_at", kind="date"),
    )
    filterset_class = PriceListFilter
    search_fields = ("name",)
    default_sort = "name"
    create_url_name = "pipeline:price-list-create"
    lede = (
        "Prices in one currency each. Opportunities take their line prices from their own list, "
        "else from their currency's default list."
    )
    extra_actions = (("Products", "pipeline:product-list"),)

    def get_queryset(self) -> QuerySet[Any]:
        return PriceList.objects.select_related("currency")


class PriceEntryForm(forms.Form):
    """Set one product's price on a list (adding the product when it is not on it yet)."""

    product = forms.ModelChoiceField(
        queryset=Product.objects.none(),
        help_text=str(PriceListEntry._meta.get_field("product").help_text),
    )
    unit_price = forms.DecimalField(
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text=str(PriceListEntry._meta.get_field("unit_price").help_text),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["product"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Product.objects.filter(is_active=True).only("id", "name", "code")


def _price_list_context(
    user: Any, price_list: PriceList, entry_form: PriceEntryForm | None = None
) -> dict[str, Any]:
    policy = permissions.policy_for(user, "price_list")
    return {
        "price_list": price_list,
        "entries": list(catalog.price_list_entries(price_list)),
        "can_edit_prices": policy.can("edit"),
        "entry_form": entry_form
        if entry_form is not None
        else (PriceEntryForm() if policy.can("edit") else None),
    }


class PriceListDetail(RecordDetail):
    record_type = "price_list"
    template_name = "pipeline/catalog/price_list_detail.html"

    def get_queryset(self) -> QuerySet[Any]:
        return PriceList.objects.select_related("currency")

    def extra_context(self, request: HttpRequest, user: Any, obj: Any) -> dict[str, Any]:
        return _price_list_context(user, obj)


class PriceListFormView(RecordFormView):
    record_type = "price_list"
    form_class = PriceListForm
    list_url_name = "pipeline:price-list-list"

    def create(self, user: Any, values: dict[str, Any], form: forms.ModelForm[Any]) -> Model:
        return catalog.price_list_create(acting_user=user, values=values)

    def update(
        self, user: Any, obj: Any, values: dict[str, Any], form: forms.ModelForm[Any]
    ) -> Model:
        return catalog.price_list_update(acting_user=user, price_list=obj, values=values)


def _price_list_for(user: Any, pk: int) -> PriceList:
    """The price list if the person may edit it: 403 without the right, 404 when out of sight."""
    price_list = get_object_or_404(PriceList.objects.select_related("currency"), pk=pk)
    permissions.check(user, "edit", "price_list", price_list)
    return price_list


def _entries_response(
    request: HttpRequest, price_list: PriceList, form: PriceEntryForm | None = None
) -> HttpResponseBase:
    if getattr(request, "htmx", False):
        context = _price_list_context(request.user, price_list, form)
        return render(request, "pipeline/catalog/price_list_detail.html#entries", context)
    if form is not None and form.errors:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("pipeline:price-list-detail", pk=price_list.pk)


@login_required
@require_POST
def price_entry_set(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Add a product to a price list or change its price there."""
    price_list = _price_list_for(request.user, pk)
    form = PriceEntryForm(request.POST)
    if form.is_valid():
        try:
            catalog.price_list_entry_set(
                acting_user=request.user,
                price_list=price_list,
                product=form.cleaned_data["product"],
                unit_price=form.cleaned_data["unit_price"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            return _entries_response(request, price_list)
    return _entries_response(request, price_list, form)


@login_required
@require_POST
def price_entry_remove(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponseBase:
    """Take a product off a price list."""
    price_list = _price_list_for(request.user, pk)
    entry = get_object_or_404(
        PriceListEntry.objects.select_related("product", "price_list"),
        pk=entry_pk,
        price_list=price_list,
    )
    catalog.price_list_entry_remove(acting_user=request.user, entry=entry)
    return _entries_response(request, price_list)


urlpatterns: list[URLPattern | URLResolver] = [
    *record_urls(
        "products",
        "product",
        list_view=ProductList,
        detail=ProductDetail,
        form=ProductFormView,
        delete=ProductDelete,
    ),
    *record_urls(
        "price-lists",
        "price-list",
        list_view=PriceListList,
        detail=PriceListDetail,
        form=PriceListFormView,
    ),
    path("price-lists/<int:pk>/prices/", price_entry_set, name="price-entry-set"),
    path(
        "price-lists/<int:pk>/prices/<int:entry_pk>/remove/",
        price_entry_remove,
        name="price-entry-remove",
    ),
    path("opportunities/<int:pk>/lines/", opportunity_lines, name="opportunity-lines"),
    path("opportunities/<int:pk>/lines/add/", line_item_add, name="line-item-add"),
    path("line-items/<int:pk>/edit/", line_item_edit, name="line-item-edit"),
    path("line-items/<int:pk>/remove/", line_item_remove, name="line-item-remove"),
    *order_pages.urlpatterns,
]
