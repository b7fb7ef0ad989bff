from django.urls import URLPattern, URLResolver

app_name = "cleaning"

urlpatterns: list[URLPattern | URLResolver] = []
