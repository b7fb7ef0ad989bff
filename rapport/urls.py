"""Mounts each app's web/urls.py and api/urls.py."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from rapport.api.docs import ApiDocsView
from rapport.web.views import favicon

urlpatterns = [
    # Browsers ask for /favicon.ico on pages without a <link rel="icon"> (raw JSON, say).
    path("favicon.ico", favicon),
    path("", include("rapport.web.urls")),
    path("", include("rapport.access.web.urls")),
    path("", include("rapport.core.web.urls")),
    path("", include("rapport.insights.web.urls")),
    path("", include("rapport.customers.web.urls")),
    path("", include("rapport.activities.web.urls")),
    path("", include("rapport.pipeline.web.urls")),
    path("", include("rapport.leads.web.urls")),
    path("", include("rapport.quality.rules.web.urls")),
    path("", include("rapport.quality.cleaning.web.urls")),
    path("", include("rapport.quality.dedupe.web.urls")),
    path("", include("rapport.quality.merge.web.urls")),
    path("", include("rapport.quality.scores.web.urls")),
    path("", include("rapport.imports.web.urls")),
    path("", include("rapport.exports.web.urls")),
    path("api/v1/", include("rapport.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
]

handler404 = "rapport.web.views.not_found"
handler500 = "rapport.web.views.server_error"
handler403 = "rapport.web.views.forbidden"
