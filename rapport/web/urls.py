from django.urls import path

from rapport.web import records, views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("pick/<slug:record_type>/", records.record_pick, name="record-pick"),
    path("views/save/", records.saved_view_save, name="saved-view-save"),
    path("views/<int:pk>/delete/", records.saved_view_delete, name="saved-view-delete"),
]
