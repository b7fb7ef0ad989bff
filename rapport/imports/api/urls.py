"""This app's collections, registered on the API router by rapport.api.urls."""

from __future__ import annotations

from rest_framework.routers import BaseRouter

from .views import ImportBatchViewSet, ImportMappingViewSet


def register(router: BaseRouter) -> None:
    router.register("imports", ImportBatchViewSet, basename="import")
    router.register("import-mappings", ImportMappingViewSet, basename="import-mapping")
