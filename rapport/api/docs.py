"""The interactive API docs, served from this server under the site's strict CSP."""

from __future__ import annotations

from drf_spectacular.views import SpectacularSwaggerSplitView


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI with its page styles in a static file (the stock template inlines them)."""

    template_name = "api/swagger_ui.html"
