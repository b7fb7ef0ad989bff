from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "cleaning"

urlpatterns: list[URLPattern | URLResolver] = [
    path("cleaning/corrections/", views.corrections, name="corrections"),
    path(
        "cleaning/corrections/<int:pk>/accept/", views.correction_accept, name="correction-accept"
    ),
    path(
        "cleaning/corrections/<int:pk>/reject/", views.correction_reject, name="correction-reject"
    ),
    path("cleaning/report/<slug:record_type>/<int:pk>/", views.report, name="report"),
    path("cleaning/glossary/", views.glossary, name="glossary"),
    path(
        "cleaning/glossary/<slug:record_type>/<str:field_name>/edit/",
        views.glossary_edit,
        name="glossary-edit",
    ),
    path("cleaning/stale/", views.stale, name="stale"),
    path("cleaning/stale/act/", views.stale_action, name="stale-act"),
]
