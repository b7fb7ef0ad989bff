"""This app's collections, registered on the API router by rapport.api.urls."""

from __future__ import annotations

from rest_framework.routers import BaseRouter

from rapport.pipeline.api import catalog
from rapport.pipeline.api.views import MethodologyStepViewSet, OpportunityViewSet, StageViewSet


def register(router: BaseRouter) -> None:
    router.register("opportunities", OpportunityViewSet, basename="opportunity")
    router.register("stages", StageViewSet, basename="stage")
    router.register("methodology-steps", MethodologyStepViewSet, basename="methodology_step")
    catalog.register(router)
