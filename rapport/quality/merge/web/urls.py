from django.urls import URLPattern, URLResolver, path

from rapport.quality.merge.web import views

app_name = "merge"

urlpatterns: list[URLPattern | URLResolver] = [
    path("quality/merge/", views.merge, name="merge"),
    path("quality/merges/", views.merge_list, name="merge-list"),
    path("quality/merges/<int:pk>/", views.merge_detail, name="merge-detail"),
    path("quality/merges/<int:pk>/undo/", views.merge_undo, name="merge-undo"),
]
