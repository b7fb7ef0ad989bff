"""API for products, price lists, line items and orders (registered by pipeline/api/urls.py).

- `/products/` and `/price-lists/`: records like any other (price lists are retired, never
  deleted); a list's prices at `/price-lists/{id}/entries/` (GET lists them, POST sets one
  product's price, adding it when it is not on the list) and
  `/price-lists/{id}/entries/{entry_id}/` (DELETE takes the product off).
- `/opportunities/{id}/line-items/` (list, add) and `/line-items/{id}/` (show, change, remove):
  reading needs read on the opportunity, writing needs edit on it; every write recalculates the
  opportunity's amount.
- `/orders/` (list, show, change, delete) and `POST /opportunities/{id}/order/`, which turns a
  won opportunity into its order.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from rapport.access import permissions
from rapport.api.base import ApiView
from rapport.api.filters import IdFilter
from rapport.api.records import ID_PATTERN, RECORD_READ_ONLY, RecordSerializer, RecordViewSet
from rapport.pipeline import catalog, orders
from rapport.pipeline.models import (
    LineItem,
    Opportunity,
    Order,
    OrderLine,
    PriceList,
    PriceListEntry,
    Product,
)

EXTERNAL_ID_HELP = "The record whose key in another system is exactly this."


# Products -----------------------------------------------------------------------------------------


class ProductSerializer(RecordSerializer):
    record_type = "product"

    class Meta:
        model = Product
        fields = (
            "id",
            "name",
            "code",
            "family",
            "description",
            "is_active",
            "external_id",
            "created_at",
            "updated_at",
        )
        read_only_fields = RECORD_READ_ONLY


class ProductFilter(django_filters.FilterSet):
    family = django_filters.CharFilter(
        field_name="family__key", help_text="A product family's key, e.g. `software`."
    )
    is_active = django_filters.BooleanFilter(help_text="true: can be sold; false: retired.")
    code = django_filters.CharFilter(help_text="The product with exactly this code.")
    external_id = django_filters.CharFilter(help_text=EXTERNAL_ID_HELP)

    class Meta:
        model = Product
        fields = ("family", "is_active", "code", "external_id")


@extend_schema_view(
    list=extend_schema(summary="List products"),
    retrieve=extend_schema(summary="Show a product"),
    create=extend_schema(summary="Add a product"),
    update=extend_schema(summary="Replace a product"),
    partial_update=extend_schema(summary="Change a product"),
    destroy=extend_schema(
        summary="Delete a product",
        description="The product goes to the recycle bin, from which an administrator restores "
        "it. Lines and prices that name it keep it.",
        responses={204: None},
    ),
)
class ProductViewSet(RecordViewSet):
    record_type = "product"
    serializer_class = ProductSerializer
    filterset_class = ProductFilter
    search_fields = ("name", "code")
    ordering_fields = ("name", "code", "created_at", "updated_at")
    ordering = ("name", "id")

    def get_base_queryset(self) -> QuerySet[Product]:
        return Product.objects.select_related("family")

    def create_record(self, data: dict[str, Any]) -> Product:
        return catalog.product_create(acting_user=self.request.user, values=data)

    def update_record(self, instance: Product, data: dict[str, Any]) -> Product:
        return catalog.product_update(acting_user=self.request.user, product=instance, values=data)

    def delete_record(self, instance: Product) -> None:
        catalog.product_delete(acting_user=self.request.user, product=instance)


# Price lists --------------------------------------------------------------------------------------


class PriceListEntrySerializer(serializers.ModelSerializer[PriceListEntry]):
    product_name = serializers.CharField(source="product.name", read_only=True)
    product_code = serializers.CharField(source="product.code", read_only=True)

    class Meta:
        model = PriceListEntry
        fields = ("id", "product", "product_name", "product_code", "unit_price")
        read_only_fields = ("id",)
        # The list's unique pair is checked by the service (which updates an existing price).
        validators: list[Any] = []


class PriceListSerializer(RecordSerializer):
    record_type = "price_list"

    class Meta:
        model = PriceList
        fields = (
            "id",
            "name",
            "currency",
            "is_default",
            "is_active",
            "external_id",
            "created_at",
            "updated_at",
        )
        read_only_fields = RECORD_READ_ONLY


class PriceListFilter(django_filters.FilterSet):
    currency = django_filters.CharFilter(
        field_name="currency__key", help_text="A currency's ISO code, e.g. `EUR`."
    )
    is_default = django_filters.BooleanFilter(help_text="true: its currency's default list.")
    is_active = django_filters.BooleanFilter(help_text="true: in use; false: retired.")
    external_id = django_filters.CharFilter(help_text=EXTERNAL_ID_HELP)

    class Meta:
        model = PriceList
        fields = ("currency", "is_default", "is_active", "external_id")


@extend_schema_view(
    list=extend_schema(summary="List price lists"),
    retrieve=extend_schema(summary="Show a price list"),
    create=extend_schema(
        summary="Add a price list",
        description="A new default list replaces its currency's previous default.",
    ),
    update=extend_schema(summary="Replace a price list"),
    partial_update=extend_schema(
        summary="Change a price list",
        description="Making a list the default demotes its currency's previous default.",
    ),
)
class PriceListViewSet(RecordViewSet):
    record_type = "price_list"
    serializer_class = PriceListSerializer
    filterset_class = PriceListFilter
    search_fields = ("name",)
    ordering_fields = ("name", "created_at", "updated_at")
    ordering = ("name", "id")
    # No DELETE: lists are retired (deactivate), never deleted; a DELETE answers 405 with the hint.
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    method_not_allowed_hint = {
        "DELETE": "Price lists are never deleted; POST to /price-lists/{id}/deactivate/ to "
        "retire one."
    }

    def get_base_queryset(self) -> QuerySet[PriceList]:
        return PriceList.objects.select_related("currency")

    def create_record(self, data: dict[str, Any]) -> PriceList:
        return catalog.price_list_create(acting_user=self.request.user, values=data)

    def update_record(self, instance: PriceList, data: dict[str, Any]) -> PriceList:
        return catalog.price_list_update(
            acting_user=self.request.user, price_list=instance, values=data
        )

    @extend_schema(
        summary="Retire a price list",
        description="Stands for delete: the list is kept, marked inactive. The default list of "
        "a currency cannot be retired.",
        request=None,
        responses=PriceListSerializer,
    )
    @action(detail=True, methods=["post"])
    def deactivate(self, request: Request, pk: str | None = None) -> Response:
        return self._set_active(False)

    @extend_schema(summary="Bring a retired price list back", request=None)
    @action(detail=True, methods=["post"])
    def reactivate(self, request: Request, pk: str | None = None) -> Response:
        return self._set_active(True)

    def _set_active(self, active: bool) -> Response:
        price_list: PriceList = self.get_object()
        catalog.price_list_set_active(
            acting_user=self.request.user, price_list=price_list, is_active=active
        )
        return self.respond(price_list)

    def _editable_list(self) -> PriceList:
        price_list: PriceList = self.get_object()
        permissions.check(self.request.user, "edit", "price_list", price_list)
        return price_list

    @extend_schema(
        methods=["GET"],
        summary="List a price list's prices",
        responses=PriceListEntrySerializer(many=True),
    )
    @extend_schema(
        methods=["POST"],
        summary="Set a product's price on a price list",
        description="Adds the product to the list, or changes its price there.",
        request=PriceListEntrySerializer,
        responses={200: PriceListEntrySerializer},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[])
    def entries(self, request: Request, pk: str | None = None) -> Response:
        if request.method == "GET":
            price_list = self.get_object()
            return Response(
                PriceListEntrySerializer(catalog.price_list_entries(price_list), many=True).data
            )
        price_list = self._editable_list()
        serializer = PriceListEntrySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = catalog.price_list_entry_set(
            acting_user=request.user,
            price_list=price_list,
            product=serializer.validated_data["product"],
            unit_price=serializer.validated_data["unit_price"],
        )
        return Response(PriceListEntrySerializer(entry).data)


@extend_schema_view(
    destroy=extend_schema(summary="Take a product off a price list", responses={204: None})
)
class PriceListEntryViewSet(ApiView, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """`DELETE /price-lists/{price_list_pk}/entries/{id}/`: take a product off a list."""

    permission_classes = (IsAuthenticated,)
    serializer_class = PriceListEntrySerializer
    pagination_class = None
    filter_backends: list[Any] = []
    lookup_value_regex = ID_PATTERN

    def perform_authentication(self, request: Request) -> None:
        super().perform_authentication(request)
        permissions.forget(request.user)

    def get_queryset(self) -> QuerySet[PriceListEntry]:
        return PriceListEntry.objects.select_related("product", "price_list")

    def destroy(self, request: Request, price_list_pk: str, pk: str) -> Response:
        price_list = get_object_or_404(PriceList, pk=int(price_list_pk))
        permissions.check(request.user, "edit", "price_list", price_list)
        entry = get_object_or_404(self.get_queryset(), pk=int(pk), price_list=price_list)
        catalog.price_list_entry_remove(acting_user=request.user, entry=entry)
        return Response(status=status.HTTP_204_NO_CONTENT)


# Line items ---------------------------------------------------------------------------------------


class LineItemSerializer(serializers.ModelSerializer[LineItem]):
    """A line: quantity times unit price less the discount; the list price by default."""

    product_name = serializers.CharField(source="product.name", read_only=True)
    total = serializers.DecimalField(
        max_digits=14,
        decimal_places=2,
        read_only=True,
        help_text="Quantity times unit price less the discount, rounded to the cent.",
    )

    class Meta:
        model = LineItem
        fields = (
            "id",
            "opportunity",
            "product",
            "product_name",
            "quantity",
            "unit_price",
            "discount_percent",
            "total",
            "sort_order",
        )
        read_only_fields = ("id", "opportunity", "sort_order")
        extra_kwargs: dict[str, Any] = {
            "unit_price": {
                "required": False,
                "allow_null": True,
                "help_text": "Price of one unit; leave it out to take the price list's.",
            },
            "quantity": {"required": False},
            "discount_percent": {"required": False},
        }

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | QuerySet):
            fields["product"].read_only = True  # a line keeps its product
        return fields

    def to_representation(self, instance: LineItem) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        request = self.context.get("request")
        viewer = getattr(request, "user", None)
        if viewer is not None and "amount" in permissions.hidden_fields_of(viewer, "opportunity"):
            # The lines add up to the amount: whoever may not see it may not see their prices.
            for name in ("unit_price", "total"):
                data.pop(name, None)
        return data


class _LineItemBase(ApiView, viewsets.GenericViewSet):  # type: ignore[type-arg]
    permission_classes = (IsAuthenticated,)
    serializer_class = LineItemSerializer
    pagination_class = None  # one opportunity's lines: a handful
    filter_backends: list[Any] = []
    lookup_value_regex = ID_PATTERN

    def perform_authentication(self, request: Request) -> None:
        super().perform_authentication(request)
        permissions.forget(request.user)

    def _opportunity(self, pk: int, action: str) -> Opportunity:
        opportunity = get_object_or_404(Opportunity, pk=pk)
        permissions.check(self.request.user, action, "opportunity", opportunity)
        return opportunity


@extend_schema_view(
    list=extend_schema(summary="List an opportunity's line items"),
    create=extend_schema(
        summary="Add a product to an opportunity",
        description="Without `unit_price` the price comes from the opportunity's price list, "
        "else its currency's default list. The opportunity's amount becomes the sum of its "
        "line totals.",
    ),
)
class OpportunityLineItemViewSet(_LineItemBase):
    def get_queryset(self) -> QuerySet[LineItem]:
        return LineItem.objects.none()

    def list(self, request: Request, opportunity_pk: str) -> Response:
        opportunity = self._opportunity(int(opportunity_pk), "read")
        lines = catalog.opportunity_lines(opportunity)
        return Response(self.get_serializer(lines, many=True).data)

    def create(self, request: Request, opportunity_pk: str) -> Response:
        opportunity = self._opportunity(int(opportunity_pk), "edit")
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        line = catalog.line_item_add(
            acting_user=request.user,
            opportunity=opportunity,
            product=data["product"],
            quantity=data.get("quantity", 1),
            unit_price=data.get("unit_price"),
            discount_percent=data.get("discount_percent", 0),
        )
        line = catalog.opportunity_lines(opportunity).get(pk=line.pk)
        return Response(self.get_serializer(line).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    retrieve=extend_schema(summary="Show a line item"),
    update=extend_schema(summary="Replace a line item's quantity, price and discount"),
    partial_update=extend_schema(summary="Change a line item's quantity, price or discount"),
    destroy=extend_schema(
        summary="Remove a line item",
        description="The opportunity's amount is recalculated from the lines left.",
        responses={204: None},
    ),
)
class LineItemViewSet(
    mixins.RetrieveModelMixin,
    _LineItemBase,
):
    def get_queryset(self) -> QuerySet[LineItem]:
        return LineItem.objects.select_related("product", "opportunity")

    def get_object(self) -> LineItem:
        line: LineItem = super().get_object()
        permissions.check(self.request.user, "read", "opportunity", line.opportunity)
        return line

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        line = self.get_object()
        serializer = self.get_serializer(line, data=request.data, partial=kwargs.get("partial"))
        serializer.is_valid(raise_exception=True)
        values = {
            name: value
            for name, value in serializer.validated_data.items()
            if name in catalog.LINE_FIELDS and value is not None
        }
        catalog.line_item_update(acting_user=request.user, line_item=line, values=values)
        fresh = self.get_queryset().get(pk=line.pk)
        return Response(self.get_serializer(fresh).data)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        catalog.line_item_remove(acting_user=request.user, line_item=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


# Orders -------------------------------------------------------------------------------------------


class OrderLineSerializer(serializers.ModelSerializer[OrderLine]):
    product_name = serializers.CharField(source="product.name", read_only=True)

    class Meta:
        model = OrderLine
        fields = (
            "id",
            "product",
            "product_name",
            "quantity",
            "unit_price",
            "discount_percent",
            "total",
        )
        read_only_fields = fields


class OrderSerializer(RecordSerializer):
    record_type = "order"
    account_name = serializers.CharField(source="account.name", read_only=True)
    owner_name = serializers.CharField(source="owner.get_full_name", read_only=True)
    lines = OrderLineSerializer(many=True, read_only=True)

    class Meta:
        model = Order
        fields = (
            "id",
            "number",
            "opportunity",
            "account",
            "account_name",
            "owner",
            "owner_name",
            "status",
            "order_date",
            "currency",
            "total_amount",
            "lines",
            "external_id",
            "created_at",
            "updated_at",
        )
        read_only_fields: tuple[str, ...] = (
            *RECORD_READ_ONLY,
            "number",
            "opportunity",
            "account",
            "currency",
            "total_amount",
        )
        extra_kwargs: dict[str, Any] = {"owner": {"required": False}}

    def to_representation(self, instance: Order) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        viewer = self._viewer()
        if viewer is not None and "total_amount" in permissions.hidden_fields_of(viewer, "order"):
            # The lines add up to the total: whoever may not see it may not see their prices.
            for line in data.get("lines", []):
                for name in ("unit_price", "total"):
                    line.pop(name, None)
        return data


class OrderFilter(django_filters.FilterSet):
    status = django_filters.CharFilter(
        field_name="status__key", help_text="An order status key, e.g. `draft`."
    )
    owner = IdFilter(field_name="owner_id", help_text="The owner's id.")
    account = IdFilter(field_name="account_id", help_text="The customer's id.")
    opportunity = IdFilter(field_name="opportunity_id", help_text="The opportunity's id.")
    ordered_from = django_filters.DateFilter(
        field_name="order_date", lookup_expr="gte", help_text="Ordered on or after this date."
    )
    ordered_to = django_filters.DateFilter(
        field_name="order_date", lookup_expr="lte", help_text="Ordered on or before this date."
    )
    number = django_filters.CharFilter(help_text="The order with exactly this number.")
    external_id = django_filters.CharFilter(help_text=EXTERNAL_ID_HELP)

    class Meta:
        model = Order
        fields = (
            "status",
            "owner",
            "account",
            "opportunity",
            "ordered_from",
            "ordered_to",
            "number",
            "external_id",
        )


class OrderCreateSerializer(OrderSerializer):
    """An order entered directly: the customer and currency at least."""

    class Meta(OrderSerializer.Meta):
        read_only_fields = (*RECORD_READ_ONLY, "number", "opportunity")
        extra_kwargs: dict[str, Any] = {
            "owner": {"required": False},
            "status": {"required": False},
            "total_amount": {"required": False},
        }

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields["status"].required = False  # draft unless said otherwise
        return fields


def _orders_queryset() -> QuerySet[Order]:
    return Order.objects.select_related("account", "owner", "status", "currency").prefetch_related(
        Prefetch("lines", queryset=OrderLine.objects.select_related("product"))
    )


@extend_schema_view(
    list=extend_schema(summary="List orders"),
    retrieve=extend_schema(summary="Show an order"),
    create=extend_schema(
        summary="Enter an order directly",
        description="For deals won outside Rapport (needs create on orders, administrators by "
        "default). Won opportunities become orders through "
        "`POST /api/v1/opportunities/{id}/order/`.",
    ),
    update=extend_schema(summary="Replace an order's status, date, owner and external id"),
    partial_update=extend_schema(
        summary="Change an order",
        description="Status, order date, owner and external id change; the rest comes from "
        "the opportunity.",
    ),
    destroy=extend_schema(
        summary="Delete an order",
        description="The order goes to the recycle bin, from which an administrator restores it.",
        responses={204: None},
    ),
)
class OrderViewSet(RecordViewSet):
    record_type = "order"
    serializer_class = OrderSerializer
    filterset_class = OrderFilter
    search_fields = ("number", "account__name")
    ordering_fields = ("order_date", "number", "total_amount", "created_at", "updated_at")
    ordering = ("-order_date", "-id")

    def get_base_queryset(self) -> QuerySet[Order]:
        return _orders_queryset()

    def get_serializer_class(self) -> type[serializers.BaseSerializer[Any]]:
        return OrderCreateSerializer if self.action == "create" else OrderSerializer

    def create_record(self, data: dict[str, Any]) -> Order:
        return orders.order_create(acting_user=self.request.user, values=data)

    def update_record(self, instance: Order, data: dict[str, Any]) -> Order:
        return orders.order_update(acting_user=self.request.user, order=instance, values=data)

    def delete_record(self, instance: Order) -> None:
        orders.order_delete(acting_user=self.request.user, order=instance)


class OpportunityOrderViewSet(ApiView, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """`POST /opportunities/{id}/order/`: the won opportunity becomes its order."""

    permission_classes = (IsAuthenticated,)
    serializer_class = OrderSerializer
    pagination_class = None
    filter_backends: list[Any] = []

    def perform_authentication(self, request: Request) -> None:
        super().perform_authentication(request)
        permissions.forget(request.user)

    def get_queryset(self) -> QuerySet[Order]:
        return _orders_queryset()

    @extend_schema(
        summary="Create the order of a won opportunity",
        description="Only a won opportunity, once. The order is a draft owned by the "
        "opportunity's owner; its lines copy the line items (an opportunity without line items "
        "gives an order without lines whose total is the amount). Needs edit on the opportunity.",
        request=None,
        responses={201: OrderSerializer, 400: OpenApiResponse(description="Not won, or ordered.")},
    )
    def create(self, request: Request, opportunity_pk: str) -> Response:
        opportunity = get_object_or_404(Opportunity, pk=int(opportunity_pk))
        order = orders.order_create_from_opportunity(
            acting_user=request.user, opportunity=opportunity
        )
        fresh = _orders_queryset().get(pk=order.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)


def register(router: BaseRouter) -> None:
    router.register("products", ProductViewSet, basename="product")
    router.register("price-lists", PriceListViewSet, basename="price_list")
    router.register(
        r"price-lists/(?P<price_list_pk>\d+)/entries",
        PriceListEntryViewSet,
        basename="price_list_entry",
    )
    router.register("orders", OrderViewSet, basename="order")
    router.register("line-items", LineItemViewSet, basename="line_item")
    router.register(
        r"opportunities/(?P<opportunity_pk>\d+)/line-items",
        OpportunityLineItemViewSet,
        basename="opportunity_line_item",
    )
    router.register(
        r"opportunities/(?P<opportunity_pk>\d+)/order",
        OpportunityOrderViewSet,
        basename="opportunity_order",
    )
