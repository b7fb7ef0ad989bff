"""This app's collections, registered on the API router by rapport.api.urls."""

from __future__ import annotations

from rest_framework.routers import BaseRouter

from rapport.quality.rules.api.views import ValidationRuleViewSet


def register(router: BaseRouter) -> None:
    router.register("validation-rules", ValidationRuleViewSet, basename="validation-rule")
