"""This app's collections, registered on the API router by rapport.api.urls."""

from __future__ import annotations

from rest_framework.routers import BaseRouter

from rapport.leads.api.views import LeadViewSet, QualificationQuestionViewSet, WebFormViewSet
from rapport.leads.api.web_to_lead import WebToLeadViewSet


def register(router: BaseRouter) -> None:
    router.register("leads", LeadViewSet, basename="lead")
    router.register(
        "qualification-questions", QualificationQuestionViewSet, basename="qualification_question"
    )
    router.register("web-forms", WebFormViewSet, basename="web_form")
    # Public: POST /api/v1/web-to-lead/<key>/ (a create-only collection per form key).
    router.register(r"web-to-lead/(?P<key>[^/.]+)", WebToLeadViewSet, basename="web-to-lead")
