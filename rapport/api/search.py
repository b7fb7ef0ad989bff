"""Global search over every record type that registered a provider (rapport.core.search)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from rapport.api.base import ApiView
from rapport.core.search import SearchHit
from rapport.core.search import search as global_search

MAX_PER_KIND = 20


class SearchQuerySerializer(serializers.Serializer[Any]):
    q = serializers.CharField(
        max_length=200,
        allow_blank=True,
        trim_whitespace=True,
        help_text="What to look for; fewer than two characters finds nothing.",
    )
    limit = serializers.IntegerField(
        min_value=1, max_value=MAX_PER_KIND, default=5, help_text="Hits per record type."
    )


class SearchHitSerializer(serializers.Serializer[SearchHit]):
    kind = serializers.CharField(help_text="The record type, e.g. `user`, `team`.")
    kind_label = serializers.CharField(help_text="The record type as people say it, e.g. 'Person'.")
    record_id = serializers.IntegerField(help_text="The record's id in its own collection.")
    title = serializers.CharField(help_text="The record's name.")
    subtitle = serializers.CharField(
        help_text="A line that tells records with the same name apart."
    )
    url = serializers.CharField(help_text="The record's page in the web app.")


class SearchResultsSerializer(serializers.Serializer[Any]):
    query = serializers.CharField(help_text="The words searched for.")
    results = SearchHitSerializer(
        many=True, help_text="Hits the caller may see, grouped by record type."
    )


class SearchView(ApiView):
    filter_backends = ()
    pagination_class = None

    @extend_schema(
        summary="Search everything",
        description=(
            "The search box of the web app: accounts, contacts, leads, opportunities, orders, "
            "products, people and teams the caller may see."
        ),
        parameters=[
            OpenApiParameter(
                "q",
                str,
                required=True,
                description=str(SearchQuerySerializer().fields["q"].help_text),
            ),
            OpenApiParameter(
                "limit",
                int,
                required=False,
                description=f"Hits per record type, 1 to {MAX_PER_KIND} (default 5).",
            ),
        ],
        responses=SearchResultsSerializer,
    )
    def get(self, request: Request) -> Response:
        params = SearchQuerySerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        query: str = params.validated_data["q"]
        limit: int = params.validated_data["limit"]
        hits = global_search(user=request.user, query=query, limit_per_kind=limit)  # type: ignore[arg-type]
        return Response(SearchResultsSerializer({"query": query, "results": hits}).data)
