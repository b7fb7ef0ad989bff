from django.urls import URLPattern, URLResolver, path

from rapport.exports.web import views

app_name = "exports"

urlpatterns: list[URLPattern | URLResolver] = [
    path("exports/<str:task_id>/", views.export_status, name="status"),
    path("exports/<str:task_id>/download/", views.export_download, name="download"),
]
