from django.urls import path

from rapport.core.api import history, views

urlpatterns = [
    path("tasks/<str:task_id>/", views.TaskStatusView.as_view(), name="task-status"),
    path("recycle-bin/", history.RecycleBinView.as_view(), name="recycle-bin"),
    path(
        "recycle-bin/<slug:record_type>/<int:pk>/restore/",
        history.RestoreView.as_view(),
        name="recycle-bin-restore",
    ),
    # After the router's routes: /api/v1/teams/5/history/ for every registered record type.
    path("<slug:collection>/<int:pk>/history/", history.HistoryView.as_view(), name="history"),
]
