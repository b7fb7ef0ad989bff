from django.urls import URLPattern, URLResolver, path

from rapport.leads.web import views
from rapport.web.records import record_urls

app_name = "leads"

urlpatterns: list[URLPattern | URLResolver] = [
    *record_urls(
        "leads",
        "lead",
        list_view=views.LeadList,
        detail=views.LeadDetail,
        form=views.LeadEdit,
        delete=views.LeadDelete,
    ),
    path("leads/<int:pk>/answers/", views.lead_answers, name="lead-answers"),
    path("leads/<int:pk>/status/", views.lead_status, name="lead-status"),
    path("leads/<int:pk>/convert/", views.lead_convert, name="lead-convert"),
    path("admin/qualification-questions/", views.question_list, name="question-list"),
    path("admin/qualification-questions/new/", views.question_edit, name="question-create"),
    path("admin/qualification-questions/<int:pk>/", views.question_edit, name="question-edit"),
    path("admin/qualification-questions/<int:pk>/move/", views.question_move, name="question-move"),
    path(
        "admin/qualification-questions/<int:pk>/deactivate/",
        views.question_set_active,
        {"active": False},
        name="question-deactivate",
    ),
    path(
        "admin/qualification-questions/<int:pk>/reactivate/",
        views.question_set_active,
        {"active": True},
        name="question-reactivate",
    ),
    path("admin/web-forms/", views.web_form_list, name="web-form-list"),
    path("admin/web-forms/new/", views.web_form_edit, name="web-form-create"),
    path("admin/web-forms/<int:pk>/", views.web_form_edit, name="web-form-edit"),
    path(
        "admin/web-forms/<int:pk>/deactivate/",
        views.web_form_set_active,
        {"active": False},
        name="web-form-deactivate",
    ),
    path(
        "admin/web-forms/<int:pk>/reactivate/",
        views.web_form_set_active,
        {"active": True},
        name="web-form-reactivate",
    ),
    path("f/<str:key>/", views.web_form_public, name="web-form-public"),
]
