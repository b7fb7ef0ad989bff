"""This app's collections, registered on the API router by rapport.api.urls."""

from __future__ import annotations

from rest_framework.routers import BaseRouter

from rapport.quality.scores.api.views import (
    QualityRollupViewSet,
    QualityScoreViewSet,
    TurnoverViewSet,
)


def register(router: BaseRouter) -> None:
    router.register("quality/scores", QualityScoreViewSet, basename="quality_score")
    router.register("quality/rollups", QualityRollupViewSet, basename="quality_rollup")
    router.register("turnover", TurnoverViewSet, basename="turnover")
