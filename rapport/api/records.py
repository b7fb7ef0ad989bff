"""The API of a business record type, in a few lines per type:

    class ContactViewSet(RecordViewSet):
        record_type = "contact"
        serializer_class = ContactSerializer
        filterset_class = ContactFilter
        search_fields = ("first_name", "last_name", "email")
        ordering_fields = ("last_name", "created_at")

Every action asks rapport.access.permissions (RecordPolicy; out-of-scope records answer 404),
bodies leave out the fields hidden from the caller and refuse writes to protected ones, and writes
go through rapport.access.crud (or the type's own services, by overriding `create_record`,
`update_record` and `delete_record`). DELETE moves the record to the recycle bin.
`?search=` uses the type's full-text index when rapport.fulltext has one for it.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, QuerySet
from django_countries.serializers import CountryFieldMixin
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from rapport.access import crud
from rapport.access.api.policy import PolicyScopedMixin, RecordPolicy, SecuredSerializerMixin
from rapport.api.base import ApiView
from rapport.core import picklists
from rapport.core.models import PicklistValue
from rapport.exports.api.views import ExportActionMixin

# Checks other apps register (a registry, not an import: the quality engine sits above the API).
# Each runs before a create or update with the record as it would be saved (unsaved) and may
# answer instead of the write, e.g. 409 with likely duplicates unless `?allow_duplicate=true`.
WriteCheck = Callable[[str, Model, Request], Response | None]
_write_checks: list[tuple[WriteCheck, frozenset[str]]] = []


def register_write_check(function: WriteCheck, record_types: Iterable[str]) -> None:
    """Run `function(record_type, unsaved_obj, request)` before API writes of these types."""
    entry = (function, frozenset(record_types))
    if entry not in _write_checks:
        _write_checks.append(entry)


ID_PATTERN = r"\d+"
SLUG = re.compile(r"[-a-zA-Z0-9_]+")

# Fields every record body has, always read-only.
RECORD_READ_ONLY = ("id", "created_at", "updated_at")


@extend_schema_field(OpenApiTypes.STR)
class PicklistKeyField(serializers.RelatedField[PicklistValue, str, str]):
    """A picklist value written and shown by its key ("qualified"), with its label beside it in
    a `<field>_label` field the serializer declares; unknown or retired keys are refused by name."""

    default_error_messages = {
        "unknown": "“{value}” is not a value of the {picklist} list; use one of: {keys}.",
        "retired": "“{value}” is retired and can no longer be chosen.",
        "type": "Give the value's key as a string.",
    }

    def __init__(self, picklist_key: str, **kwargs: Any) -> None:
        self.picklist_key = picklist_key
        kwargs.setdefault("queryset", PicklistValue.objects.filter(picklist__key=picklist_key))
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str:
        return str(value.key)

    def to_internal_value(self, data: str) -> PicklistValue:
        if not isinstance(data, str):
            self.fail("type")
        # Keys are slugs: anything else (a NUL byte, say) is no key, and is not sent to the
        # database, which would refuse some of it outright.
        found = (
            None
            if not SLUG.fullmatch(data)
            else (
                PicklistValue.objects.select_related("picklist")
                .filter(picklist__key=self.picklist_key, key=data)
                .first()
            )
        )
        if found is None:
            keys = PicklistValue.objects.filter(
                picklist__key=self.picklist_key, is_active=True
            ).values_list("key", flat=True)
            self.fail("unknown", value=data, picklist=self.picklist_key, keys=", ".join(keys))
        assert found is not None
        instance = getattr(self.parent, "instance", None)
        current = getattr(instance, f"{self.field_name}_id", None) if instance else None
        if not found.is_active and found.pk != current:
            self.fail("retired", value=data)
        return found


class RecordSerializer(SecuredSerializerMixin, CountryFieldMixin, serializers.ModelSerializer[Any]):
    """A record body: its fields, picklists by key (+ `_label`), the caller's field security.

    Subclasses set `record_type` and `Meta` (model, fields); picklist fields are turned into
    `PicklistKeyField`s and given a read-only `<name>_label` automatically when listed in fields.
    """

    record_type: ClassVar[str]

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        model: type[Model] = self.Meta.model
        for name in list(fields):
            try:
                model_field = model._meta.get_field(name)
            except FieldDoesNotExist:  # a declared field that is not a model field
                continue
            if isinstance(model_field, picklists.PicklistField):
                fields[name] = PicklistKeyField(
                    model_field.picklist_key,
                    required=not (model_field.blank or model_field.has_default()),
                    allow_null=model_field.null,
                    help_text=f"{model_field.help_text} The value's key in the "
                    f"'{model_field.picklist_key}' picklist.",
                )
                label = f"{name}_label"
                if label not in fields:
                    fields[label] = serializers.CharField(
                        source=f"{name}.label",
                        read_only=True,
                        allow_null=True,
                        help_text="The value's label, for display.",
                    )
        return fields


class RecordViewSet(
    ExportActionMixin,  # GET <collection>/export/?format=csv|xlsx
    PolicyScopedMixin,
    ApiView,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,  # type: ignore[type-arg]
):
    """CRUD for one record type, as the caller's role allows, within their scope."""

    record_type: ClassVar[str]
    permission_classes = (RecordPolicy,)
    lookup_value_regex = ID_PATTERN
    search_fields: tuple[str, ...] = ()
    ordering_fields: tuple[str, ...] = ("created_at", "updated_at")
    ordering: tuple[str, ...] = ("-id",)

    def get_base_queryset(self) -> QuerySet[Any]:
        """The records before scope and filters; override to add select_related/annotations."""
        from rapport.core import records

        model: Any = records.get(self.record_type).model
        return model.objects.all()  # type: ignore[no-any-return]

    def get_queryset(self) -> QuerySet[Any]:
        return self.get_base_queryset()

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        query = self.request.query_params.get("search", "").strip() if self.request else ""
        fulltext = _fulltext_search(queryset, query, self.request.user) if query else None
        if fulltext is not None:
            # The index answers `search`; the other filters and the scope still apply.
            saved, self.search_fields = self.search_fields, ()
            try:
                return super().filter_queryset(fulltext)
            finally:
                self.search_fields = saved
        return super().filter_queryset(queryset)

    # Writes: override to call the type's own services.
    def create_record(self, data: dict[str, Any]) -> Any:
        return crud.record_create(
            record_type=self.record_type, acting_user=self.request.user, values=data
        )

    def update_record(self, instance: Any, data: dict[str, Any]) -> Any:
        return crud.record_update(
            record_type=self.record_type, obj=instance, acting_user=self.request.user, values=data
        )

    def delete_record(self, instance: Any) -> None:
        crud.record_delete(
            record_type=self.record_type, obj=instance, acting_user=self.request.user
        )

    def respond(self, instance: Any, status_code: int = status.HTTP_200_OK) -> Response:
        """The record as a body, read back through the queryset (annotations included)."""
        fresh = self.get_queryset().get(pk=instance.pk)
        return Response(self.get_serializer(fresh).data, status=status_code)

    def checked(self, instance: Any, data: dict[str, Any]) -> Response | None:
        """The answer of the first registered write check that refuses the write, if any."""
        checks = [check for check, types in _write_checks if self.record_type in types]
        if not checks:
            return None
        from rapport.core import records

        preview: Any = (
            copy.copy(instance) if instance is not None else records.get(self.record_type).model()
        )
        for name, value in data.items():
            field = preview._meta.get_field(name)
            if not (field.many_to_many or field.one_to_many):
                setattr(preview, name, value)
        for check in checks:
            answer = check(self.record_type, preview, self.request)
            if answer is not None:
                return answer
        return None

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        refused = self.checked(None, dict(serializer.validated_data))
        if refused is not None:
            return refused
        instance = self.create_record(dict(serializer.validated_data))
        return self.respond(instance, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        serializer = self.get_serializer(
            instance, data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        refused = self.checked(instance, dict(serializer.validated_data))
        if refused is not None:
            return refused
        instance = self.update_record(instance, dict(serializer.validated_data))
        return self.respond(instance)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.update(request, *args, partial=True, **kwargs)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        self.delete_record(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


def _fulltext_search(queryset: QuerySet[Any], query: str, user: Any) -> QuerySet[Any] | None:
    """The queryset narrowed by the full-text index, or None when the type has none."""
    from rapport.web import record_search

    return record_search.fulltext(queryset, query, user=user)
