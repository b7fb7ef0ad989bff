from django.urls import URLPattern, URLResolver, path

from rapport.activities.web import views
from rapport.web.records import record_urls

app_name = "activities"

urlpatterns: list[URLPattern | URLResolver] = [
    path("activities/quick-call/", views.quick_call, name="quick-call"),
    path("activities/<int:pk>/complete/", views.task_complete, name="task-complete"),
    *record_urls(
        "activities",
        "activity",
        list_view=views.ActivityList,
        detail=views.ActivityDetail,
        form=views.ActivityEdit,
        delete=views.ActivityDelete,
    ),
]
