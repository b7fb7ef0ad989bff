from django.urls import path  # noqa: F401

app_name = "pipeline"

urlpatterns: list = []  # type: ignore[type-arg]
