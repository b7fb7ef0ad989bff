from django.urls import path

from rapport.core.web import views

app_name = "core"

urlpatterns = [
    path("tasks/<str:task_id>/progress/", views.task_progress, name="task-progress"),
]
