from django.urls import URLPattern, URLResolver, path

from rapport.quality.rules.web import views

app_name = "rules"

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/validation-rules/", views.rule_list, name="rule-list"),
    path("admin/validation-rules/new/", views.rule_create_view, name="rule-create"),
    path("admin/validation-rules/check/", views.rule_check, name="rule-check"),
    path("admin/validation-rules/<int:pk>/", views.rule_edit, name="rule-edit"),
    path("admin/validation-rules/<int:pk>/toggle/", views.rule_toggle, name="rule-toggle"),
]
