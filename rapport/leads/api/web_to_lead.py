"""The public JSON endpoint of web-to-lead forms: POST /api/v1/web-to-lead/<key>/.

No login and no CSRF token (web sites post to it from anywhere); abuse is kept down by the
honeypot field and a rate limit per client address.
"""

from __future__ import annotations

from typing import Any, NoReturn

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from rapport.access.authentication import client_ip_address
from rapport.api.errors import ErrorSerializer
from rapport.leads import ratelimit, selectors, services


class WebToLeadThrottle(BaseThrottle):
    """RAPPORT_WEB_TO_LEAD_RATE submissions per client address (shared with the hosted page)."""

    def __init__(self) -> None:
        self._wait: int | None = None

    def allow_request(self, request: Request, view: APIView) -> bool:
        self._wait = ratelimit.submission_wait(client_ip_address(request))
        return self._wait is None

    def wait(self) -> float | None:
        return self._wait


class WebToLeadRequestSerializer(serializers.Serializer[Any]):
    """What a web form may send; which fields are asked and required is set per form."""

    first_name = serializers.CharField(required=False, help_text="Given name.")
    last_name = serializers.CharField(required=False, help_text="Family name (always required).")
    email = serializers.EmailField(required=False, help_text="E-mail address (always required).")
    company = serializers.CharField(required=False)
    job_title = serializers.CharField(required=False)
    phone = serializers.CharField(required=False)
    website = serializers.CharField(required=False, help_text="The company's web site.")
    street = serializers.CharField(required=False)
    city = serializers.CharField(required=False)
    postal_code = serializers.CharField(required=False)
    region = serializers.CharField(required=False)
    country = serializers.CharField(required=False, help_text="ISO 3166 code, e.g. DE.")
    industry = serializers.CharField(required=False, help_text="An industry picklist key.")
    title_level = serializers.CharField(required=False, help_text="A title level picklist key.")
    description = serializers.CharField(required=False, help_text="The visitor's message.")
    answers = serializers.DictField(
        child=serializers.CharField(),
        required=False,
        help_text="Answers to the form's qualification questions: {question key: answer key}.",
    )
    website_url = serializers.CharField(
        required=False,
        help_text="The honeypot: leave it out or empty. Filled in, nothing is stored.",
    )


class WebToLeadResponseSerializer(serializers.Serializer[Any]):
    message = serializers.CharField(help_text="The form's thank-you message.")
    redirect_url = serializers.CharField(help_text="Where to send the visitor; may be empty.")


class WebToLeadViewSet(viewsets.ViewSet):
    """Public: create a lead through a web form."""

    authentication_classes: list[Any] = []  # public; no session, so no CSRF check either
    permission_classes = (AllowAny,)
    throttle_classes = (WebToLeadThrottle,)

    def throttled(self, request: Request, wait: float | None) -> NoReturn:
        seconds = int(wait or 1)
        raise exceptions.Throttled(wait=seconds, detail=ratelimit.too_many_message(seconds))

    @extend_schema(
        summary="Submit a web-to-lead form",
        description=(
            "Creates a lead owned by the form's owner, with the form's lead source, status "
            '"new" and the answers to the form\'s questions. No authentication. Rate limited '
            "per client address (429 with Retry-After). A filled-in honeypot (`website_url`) "
            "gets the same answer and stores nothing."
        ),
        request=WebToLeadRequestSerializer,
        parameters=[
            OpenApiParameter(
                "key", str, OpenApiParameter.PATH, description="The form's public key."
            )
        ],
        responses={
            201: WebToLeadResponseSerializer,
            400: OpenApiResponse(ErrorSerializer, description="A field is missing or invalid."),
            404: OpenApiResponse(
                ErrorSerializer, description="No such form, or it is switched off."
            ),
            429: OpenApiResponse(ErrorSerializer, description="Too many submissions."),
        },
    )
    def create(self, request: Request, key: str) -> Response:
        form = selectors.active_web_form(key)
        if form is None or not form.is_active:
            raise exceptions.NotFound("This form does not exist or no longer takes submissions.")
        data = request.data if isinstance(request.data, dict) else {}
        services.web_to_lead_submit(form=form, data=data)
        return Response(
            {"message": form.success_message, "redirect_url": form.redirect_url},
            status=status.HTTP_201_CREATED,
        )
