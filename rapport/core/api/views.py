"""The progress of a background task, for clients that started a long job through the API."""

from __future__ import annotations

import re

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from rapport.api.base import ApiView
from rapport.core.progress import TaskState, progress_for

# Task ids are UUIDs with the database backend and hex strings with Redis; anything else is a 404
# before it reaches a query.
TASK_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")


class TaskStateSerializer(serializers.Serializer[TaskState]):
    task_id = serializers.CharField(help_text="The task's id.")
    task_name = serializers.CharField(help_text="What the task does (its dotted path).")
    status = serializers.CharField(help_text="READY, RUNNING, SUCCESSFUL or FAILED.")
    done = serializers.IntegerField(help_text="Units of work done.")
    total = serializers.IntegerField(
        allow_null=True, help_text="Units of work in all; null while unknown."
    )
    percent = serializers.IntegerField(
        allow_null=True, help_text="Whole percent done; null while unknown."
    )
    message = serializers.CharField(allow_blank=True, help_text="What it is doing now.")
    finished = serializers.BooleanField(help_text="Whether it has succeeded or failed.")
    succeeded = serializers.BooleanField(help_text="Whether it finished without an error.")
    # Declared fields are moved off the class by DRF, so `errors` does not shadow Serializer.errors.
    errors = serializers.ListField(  # type: ignore[assignment]
        child=serializers.CharField(), help_text="Why it failed, if it did."
    )


class TaskStatusView(ApiView):
    filter_backends = ()
    pagination_class = None

    @extend_schema(
        summary="Show a background task's progress",
        description=(
            "Poll this while a long job runs; people see their own tasks, administrators all."
        ),
        parameters=[
            OpenApiParameter(
                "task_id",
                str,
                OpenApiParameter.PATH,
                description="The id the job was started with.",
                pattern=TASK_ID.pattern,
            )
        ],
        responses=TaskStateSerializer,
    )
    def get(self, request: Request, task_id: str) -> Response:
        if not TASK_ID.fullmatch(task_id):
            raise Http404("No such task.")
        state = progress_for(task_id=task_id, user=request.user)  # type: ignore[arg-type]
        return Response(TaskStateSerializer(state).data)
