"""This app's collections, registered on the API router by rapport.api.urls."""

from __future__ import annotations

from rest_framework.routers import BaseRouter

from .views import DuplicatePairViewSet, MatchRuleViewSet


def register(router: BaseRouter) -> None:
    router.register("duplicates", DuplicatePairViewSet, basename="duplicate")
    router.register("duplicate-rules", MatchRuleViewSet, basename="duplicate-rule")
