"""This app's collections, registered on the API router by rapport.api.urls."""

from __future__ import annotations

from rest_framework.routers import BaseRouter

from rapport.quality.merge.api.views import MergeViewSet


def register(router: BaseRouter) -> None:
    router.register("merges", MergeViewSet, basename="merge")
