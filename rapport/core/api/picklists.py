"""Picklists through the API: everyone signed in reads them (values with their definitions, retired
ones flagged), administrators add, edit, reorder, retire (optionally moving records) and reactivate.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import SAFE_METHODS, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from rapport.api.base import ApiView
from rapport.api.permissions import can_administer
from rapport.core.models import Picklist, PicklistValue
from rapport.core.picklists import (
    PicklistRemapError,
    picklist_value_create,
    picklist_value_reactivate,
    picklist_value_reorder,
    picklist_value_retire,
    picklist_value_update,
    picklists_with_values,
)


class ReadOrAdminister(IsAuthenticated):
    message = "Only administrators can change picklists."

    def has_permission(self, request: Request, view: Any) -> bool:
        if not super().has_permission(request, view):
            return False
        return request.method in SAFE_METHODS or can_administer(request.user)


class PicklistValueSerializer(serializers.ModelSerializer[PicklistValue]):
    class Meta:
        model = PicklistValue
        fields = ("id", "key", "label", "definition", "sort_order", "is_active", "color")
        read_only_fields = ("id", "sort_order", "is_active")


class PicklistValueWriteSerializer(serializers.ModelSerializer[PicklistValue]):
    class Meta:
        model = PicklistValue
        fields = ("key", "label", "definition", "color")


class PicklistSerializer(serializers.ModelSerializer[Picklist]):
    values = PicklistValueSerializer(
        many=True, read_only=True, help_text="Every value in order, retired ones included."
    )

    class Meta:
        model = Picklist
        fields = ("id", "key", "name", "description", "values")
        read_only_fields = fields


class MoveSerializer(serializers.Serializer[Any]):
    direction = serializers.ChoiceField(
        choices=["up", "down"], help_text="Move the value one place up or down its list."
    )


class RetireSerializer(serializers.Serializer[Any]):
    remap_to = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text="An active value of the same list to move the records that use this one to.",
    )


class RetiredSerializer(serializers.Serializer[Any]):
    value = PicklistValueSerializer(help_text="The retired value.")
    records_moved = serializers.IntegerField(help_text="How many records were moved.")


KEY = OpenApiParameter(
    "key", str, OpenApiParameter.PATH, description="The picklist's key, e.g. `lead_source`."
)
VALUE_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The value's id.")


def _picklist(key: str) -> Picklist:
    picklist = picklists_with_values().filter(key=key).first()
    if picklist is None:
        raise Http404("No such picklist.")
    return picklist


def _value(key: str, pk: int) -> PicklistValue:
    value = PicklistValue.objects.select_related("picklist").filter(picklist__key=key, pk=pk)
    found = value.first()
    if found is None:
        raise Http404("No such value.")
    return found


class _Base(ApiView):
    permission_classes = (ReadOrAdminister,)
    filter_backends = ()
    pagination_class = None


class PicklistListView(_Base):
    @extend_schema(
        summary="List the picklists",
        description="Every picklist with its values in order (retired ones flagged `is_active: "
        "false`, so records that still use them can be shown) and their definitions.",
        responses=PicklistSerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        return Response(PicklistSerializer(picklists_with_values(), many=True).data)


class PicklistDetailView(_Base):
    @extend_schema(summary="Show a picklist", parameters=[KEY], responses=PicklistSerializer)
    def get(self, request: Request, key: str) -> Response:
        return Response(PicklistSerializer(_picklist(key)).data)


class PicklistValuesView(_Base):
    @extend_schema(
        summary="Add a value to a picklist (administrators)",
        description="The value goes at the end of the list.",
        parameters=[KEY],
        request=PicklistValueWriteSerializer,
        responses={201: PicklistValueSerializer},
    )
    def post(self, request: Request, key: str) -> Response:
        picklist = _picklist(key)
        body = PicklistValueWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        value = picklist_value_create(
            picklist=picklist, acting_user=request.user, **body.validated_data
        )
        return Response(PicklistValueSerializer(value).data, status=status.HTTP_201_CREATED)


class PicklistValueView(_Base):
    @extend_schema(
        summary="Show a picklist value",
        parameters=[KEY, VALUE_ID],
        responses=PicklistValueSerializer,
    )
    def get(self, request: Request, key: str, pk: int) -> Response:
        return Response(PicklistValueSerializer(_value(key, pk)).data)

    @extend_schema(
        summary="Change a picklist value (administrators)",
        description="Its key, label, definition or colour. Records keep pointing at it.",
        parameters=[KEY, VALUE_ID],
        request=PicklistValueWriteSerializer,
        responses=PicklistValueSerializer,
    )
    def patch(self, request: Request, key: str, pk: int) -> Response:
        value = _value(key, pk)
        body = PicklistValueWriteSerializer(value, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        picklist_value_update(value=value, acting_user=request.user, **body.validated_data)
        return Response(PicklistValueSerializer(value).data)


class PicklistValueMoveView(_Base):
    @extend_schema(
        summary="Move a picklist value up or down (administrators)",
        parameters=[KEY, VALUE_ID],
        request=MoveSerializer,
        responses=PicklistSerializer,
    )
    def post(self, request: Request, key: str, pk: int) -> Response:
        value = _value(key, pk)
        body = MoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        offset = -1 if body.validated_data["direction"] == "up" else 1
        picklist_value_reorder(value=value, offset=offset, acting_user=request.user)
        return Response(PicklistSerializer(_picklist(key)).data)


class PicklistValueRetireView(_Base):
    @extend_schema(
        summary="Retire a picklist value (administrators)",
        description="It can no longer be chosen; records that use it keep it and still show its "
        "label, unless `remap_to` names an active value of the same list to move them to.",
        parameters=[KEY, VALUE_ID],
        request=RetireSerializer,
        responses=RetiredSerializer,
    )
    def post(self, request: Request, key: str, pk: int) -> Response:
        value = _value(key, pk)
        body = RetireSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        remap_to = None
        if (target_id := body.validated_data.get("remap_to")) is not None:
            remap_to = PicklistValue.objects.filter(pk=target_id).first()
            if remap_to is None:
                raise serializers.ValidationError({"remap_to": ["There is no such value."]})
        try:
            result = picklist_value_retire(value=value, acting_user=request.user, remap_to=remap_to)
        except PicklistRemapError as error:
            raise serializers.ValidationError({"remap_to": [str(error)]}) from error
        return Response(
            RetiredSerializer({"value": result.value, "records_moved": result.moved}).data
        )


class PicklistValueReactivateView(_Base):
    @extend_schema(
        summary="Reactivate a retired picklist value (administrators)",
        parameters=[KEY, VALUE_ID],
        request=None,
        responses=PicklistValueSerializer,
    )
    def post(self, request: Request, key: str, pk: int) -> Response:
        value = picklist_value_reactivate(value=_value(key, pk), acting_user=request.user)
        return Response(PicklistValueSerializer(value).data)
