from django.urls import path

from rapport.core.web import picklists, views

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
    path("admin/picklists/", picklists.picklists, name="picklists"),
    path("admin/picklists/<slug:key>/", picklists.picklist, name="picklist"),
    path(
        "admin/picklists/<slug:key>/values/<int:pk>/",
        picklists.picklist_value_edit,
        name="picklist-value-edit",
    ),
    path(
        "admin/picklists/<slug:key>/values/<int:pk>/move/",
        picklists.picklist_value_move,
        name="picklist-value-move",
    ),
    path(
        "admin/picklists/<slug:key>/values/<int:pk>/retire/",
        picklists.picklist_value_retire_view,
        name="picklist-value-retire",
    ),
    path(
        "admin/picklists/<slug:key>/values/<int:pk>/reactivate/",
        picklists.picklist_value_reactivate_view,
        name="picklist-value-reactivate",
    ),
]
