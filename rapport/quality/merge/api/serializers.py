"""The merge API's bodies."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from rapport.api.filters import MAX_ID
from rapport.quality.merge import selectors
from rapport.quality.merge.models import Merge
from rapport.quality.merge.services import MAX_RECORDS, MERGEABLE_TYPES, MIN_RECORDS


class MergeRequestSerializer(serializers.Serializer[Any]):
    # Text rather than a choice field: the schema already has several `record_type` enums, and
    # the service refuses any other type with a 400 naming this field.
    record_type = serializers.CharField(
        help_text="The kind of records merged: " + ", ".join(MERGEABLE_TYPES) + "."
    )
    survivor = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="The id of the record kept."
    )
    others = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        min_length=MIN_RECORDS - 1,
        max_length=MAX_RECORDS - 1,
        help_text="The ids of the one or two records merged into the survivor.",
    )
    field_values = serializers.DictField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        default=dict,
        help_text=(
            "Per field, the id of the merged record whose value the survivor takes, e.g. "
            '{"email": 12}. Fields left out take the most recently updated non-empty value.'
        ),
    )


class RepointedSerializer(serializers.Serializer[Any]):
    model = serializers.CharField(help_text="The related rows' model, e.g. activities.activity.")
    field = serializers.CharField(help_text="The field re-pointed, e.g. contact.")
    old_target = serializers.IntegerField(help_text="The merged record they pointed at.")
    ids = serializers.ListField(child=serializers.IntegerField(), help_text="The rows moved.")


class MergeSerializer(serializers.ModelSerializer[Merge]):
    survivor = serializers.IntegerField(source="survivor_id", help_text="The record kept.")
    others = serializers.ListField(
        source="other_ids",
        child=serializers.IntegerField(),
        help_text="The records merged into the survivor (now in the recycle bin).",
    )
    field_values = serializers.SerializerMethodField(
        help_text="Per field, the id of the record whose value the survivor took."
    )
    previous_values = serializers.SerializerMethodField(
        help_text="The survivor's values before the merge (restored by an undo)."
    )
    repointed = RepointedSerializer(many=True, read_only=True)
    merged_by = serializers.IntegerField(
        source="merged_by_id", allow_null=True, help_text="Who merged."
    )
    undone_by = serializers.IntegerField(
        source="undone_by_id", allow_null=True, help_text="Who undid the merge."
    )

    class Meta:
        model = Merge
        fields = (
            "id",
            "record_type",
            "survivor",
            "others",
            "field_values",
            "previous_values",
            "repointed",
            "merged_by",
            "merged_at",
            "undone_by",
            "undone_at",
        )
        read_only_fields = fields

    def _viewer(self) -> Any:
        request = self.context.get("request")
        return getattr(request, "user", None)

    def get_field_values(self, merge: Merge) -> dict[str, int]:
        return selectors.visible_choices(self._viewer(), merge)

    def get_previous_values(self, merge: Merge) -> dict[str, Any]:
        return selectors.visible_previous(self._viewer(), merge)
