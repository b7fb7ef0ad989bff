"""This app's collections, registered on the API router by rapport.api.urls."""

from __future__ import annotations

from rest_framework.routers import BaseRouter

from .views import CorrectionViewSet, EmailBounceViewSet, GlossaryViewSet, StaleViewSet


def register(router: BaseRouter) -> None:
    router.register("corrections", CorrectionViewSet, basename="correction")
    router.register("glossary", GlossaryViewSet, basename="glossary")
    router.register("stale", StaleViewSet, basename="stale")
    router.register("email-bounces", EmailBounceViewSet, basename="email_bounce")
