from django.urls import URLPattern, URLResolver, path

from rapport.imports.web import mappings, views

app_name = "imports"

urlpatterns: list[URLPattern | URLResolver] = [
    path("imports/", views.import_list, name="list"),
    path("imports/new/", views.import_new, name="new"),
    path("imports/mappings/", mappings.mapping_list, name="mappings"),
    path("imports/mappings/<int:pk>/rename/", mappings.mapping_rename, name="mapping-rename"),
    path("imports/mappings/<int:pk>/delete/", mappings.mapping_delete, name="mapping-delete"),
    path("imports/<int:pk>/", views.import_batch, name="batch"),
    path("imports/<int:pk>/mapping/", views.import_mapping, name="mapping"),
    path("imports/<int:pk>/preview/", views.import_preview, name="preview"),
    path("imports/<int:pk>/dry-run/", views.import_dry_run, name="dry-run"),
    path("imports/<int:pk>/status/", views.import_status, name="status"),
    path("imports/<int:pk>/commit/", views.import_commit, name="commit"),
    path("imports/<int:pk>/cancel/", views.import_cancel, name="cancel"),
    path("imports/<int:pk>/report.csv", views.import_report, name="report"),
    path("imports/<int:pk>/undo/", views.import_undo, name="undo"),
]
