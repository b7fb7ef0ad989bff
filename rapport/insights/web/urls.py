from django.urls import path

from rapport.insights.web import views

app_name = "insights"

urlpatterns = [
    path("insights/heartbeat/", views.heartbeat, name="heartbeat"),
]
