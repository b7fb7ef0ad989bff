from django.urls import path

from rapport.core.api import views

urlpatterns = [
    path("tasks/<str:task_id>/", views.TaskStatusView.as_view(), name="task-status"),
]
