from django.urls import URLPattern, URLResolver

from rapport.pipeline.web import catalog

app_name = "pipeline"

urlpatterns: list[URLPattern | URLResolver] = [
    *catalog.urlpatterns,
]
