"""Bodies of the activity collection and the timeline."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from rapport.activities.models import Activity
from rapport.activities.timeline import SUBJECT_TYPES
from rapport.api.records import RECORD_READ_ONLY, RecordSerializer


class ActivitySerializer(RecordSerializer):
    record_type = "activity"
    owner_name = serializers.CharField(source="owner.get_full_name", read_only=True)

    class Meta:
        model = Activity
        fields = (
            "id",
            "kind",
            "subject",
            "notes",
            "owner",
            "owner_name",
            "occurred_at",
            "ends_at",
            "due_date",
            "completed_at",
            "direction",
            "call_outcome",
            "duration_minutes",
            "account",
            "contact",
            "lead",
            "opportunity",
            "opportunity_step",
            "external_id",
            "created_at",
            "updated_at",
        )
        read_only_fields = RECORD_READ_ONLY
        extra_kwargs: dict[str, Any] = {
            "owner": {"required": False},
            "occurred_at": {"required": False},
        }


class TimelineQuerySerializer(serializers.Serializer[Any]):
    record_type = serializers.ChoiceField(
        choices=SUBJECT_TYPES,
        help_text="The kind of record: account, contact, lead or opportunity.",
    )
    record_id = serializers.IntegerField(min_value=1, help_text="The record's id.")
    limit = serializers.IntegerField(
        min_value=1, max_value=200, default=50, help_text="At most this many past entries."
    )


class TimelineEntrySerializer(serializers.Serializer[Any]):
    at = serializers.DateTimeField(help_text="When it happened (an open task: when it is due).")
    kind = serializers.CharField(help_text="What the entry is: call, meeting, task, order, …")
    icon = serializers.CharField(help_text="The heroicon the web app shows beside it.")
    title = serializers.CharField(help_text="One line saying what it is.")
    subtitle = serializers.CharField(help_text="Who, how long, and an excerpt of the notes.")
    url = serializers.CharField(help_text="Its page in the web app.")
    badge = serializers.CharField(help_text="A status such as “Overdue” or a call outcome.")
    pinned = serializers.BooleanField(help_text="An open task, shown first under “Next up”.")
    activity_id = serializers.IntegerField(
        allow_null=True, help_text="The activity behind the entry, when it is one."
    )
