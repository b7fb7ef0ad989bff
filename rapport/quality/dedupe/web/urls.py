from django.urls import URLPattern, URLResolver, path

from rapport.quality.dedupe.web import views

app_name = "dedupe"

urlpatterns: list[URLPattern | URLResolver] = [
    path("quality/duplicates/", views.queue_page, name="queue"),
    path("quality/duplicates/<int:pk>/not-duplicate/", views.not_duplicate, name="not-duplicate"),
    path("quality/duplicates/scan/", views.scan_now, name="scan"),
    path("quality/duplicates/rules/", views.rules_page, name="rules"),
    path("quality/duplicates/rules/<str:record_type>/", views.rules_save, name="rules-save"),
    path(
        "quality/duplicates/rules/<str:record_type>/preview/",
        views.rules_preview,
        name="rules-preview",
    ),
    path(
        "quality/duplicates/rules/<str:record_type>/reset/", views.rules_reset, name="rules-reset"
    ),
]
