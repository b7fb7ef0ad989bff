from django.urls import path

from rapport.core.api import history, picklists, views

urlpatterns = [
    path("tasks/<str:task_id>/", views.TaskStatusView.as_view(), name="task-status"),
    path("recycle-bin/", history.RecycleBinView.as_view(), name="recycle-bin"),
    path(
        "recycle-bin/<slug:record_type>/<int:pk>/restore/",
        history.RestoreView.as_view(),
        name="recycle-bin-restore",
    ),
    path("picklists/", picklists.PicklistListView.as_view(), name="picklists"),
    path("picklists/<slug:key>/", picklists.PicklistDetailView.as_view(), name="picklist"),
    path(
        "picklists/<slug:key>/values/",
        picklists.PicklistValuesView.as_view(),
        name="picklist-values",
    ),
    path(
        "picklists/<slug:key>/values/<int:pk>/",
        picklists.PicklistValueView.as_view(),
        name="picklist-value",
    ),
    path(
        "picklists/<slug:key>/values/<int:pk>/move/",
        picklists.PicklistValueMoveView.as_view(),
        name="picklist-value-move",
    ),
    path(
        "picklists/<slug:key>/values/<int:pk>/retire/",
        picklists.PicklistValueRetireView.as_view(),
        name="picklist-value-retire",
    ),
    path(
        "picklists/<slug:key>/values/<int:pk>/reactivate/",
        picklists.PicklistValueReactivateView.as_view(),
        name="picklist-value-reactivate",
    ),
    # After the router's routes: /api/v1/teams/5/history/ for every registered record type.
    path("<slug:collection>/<int:pk>/history/", history.HistoryView.as_view(), name="history"),
]
