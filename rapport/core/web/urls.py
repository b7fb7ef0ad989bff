from django.urls import path

from rapport.core.web import views

app_name = "core"

urlpatterns = [
    path("tasks/<str:task_id>/progress/", views.task_progress, name="task-progress"),
    path("history/<slug:record_type>/<int:pk>/", views.history, name="history"),
    path("admin/recycle-bin/", views.recycle_bin, name="recycle-bin"),
    path(
        "admin/recycle-bin/<slug:record_type>/<int:pk>/restore/",
        views.recycle_bin_restore,
        name="recycle-bin-restore",
    ),
]
