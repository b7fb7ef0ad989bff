"""This app's collections, registered on the API router by rapport.api.urls."""

from __future__ import annotations

from rest_framework.routers import BaseRouter

from rapport.activities.api.views import ActivityViewSet, TimelineViewSet


def register(router: BaseRouter) -> None:
    router.register("activities", ActivityViewSet, basename="activity")
    router.register("timeline", TimelineViewSet, basename="timeline")
