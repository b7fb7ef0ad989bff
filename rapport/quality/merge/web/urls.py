from django.urls import URLPattern, URLResolver

app_name = "merge"

urlpatterns: list[URLPattern | URLResolver] = []
