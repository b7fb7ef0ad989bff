from django.urls import URLPattern, URLResolver

app_name = "dedupe"

urlpatterns: list[URLPattern | URLResolver] = []
