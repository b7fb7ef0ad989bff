from django.urls import URLPattern, URLResolver, path

from rapport.quality.scores.web import views

app_name = "scores"

urlpatterns: list[URLPattern | URLResolver] = [
    path("quality/scores/", views.dashboard, name="dashboard"),
    path("quality/turnover/", views.turnover_wizard, name="turnover"),
    path("quality/turnover/<int:pk>/handover.csv", views.turnover_csv, name="turnover-csv"),
]
