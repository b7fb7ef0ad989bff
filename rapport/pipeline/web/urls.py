from django.urls import URLPattern, URLResolver, path

from rapport.pipeline.web import catalog, views
from rapport.web.records import record_urls

app_name = "pipeline"

urlpatterns: list[URLPattern | URLResolver] = [
    *record_urls(
        "opportunities",
        "opportunity",
        list_view=views.OpportunityList,
        detail=views.OpportunityDetail,
        form=views.OpportunityEdit,
        delete=views.OpportunityDelete,
    ),
    path("opportunities/<int:pk>/move/", views.opportunity_move, name="opportunity-move"),
    path(
        "opportunities/<int:pk>/steps/<int:step_pk>/complete/",
        views.step_complete,
        name="step-complete",
    ),
    path("pipeline/board/", views.board, name="board"),
    path("pipeline/board/<int:pk>/move/", views.board_move, name="board-move"),
    path("admin/stages/", views.admin_stages, name="stage-list"),
    path("admin/stages/new/", views.admin_stage_create, name="stage-create"),
    path("admin/stages/<int:pk>/", views.admin_stage_edit, name="stage-edit"),
    path("admin/stages/<int:pk>/retire/", views.admin_stage_retire, name="stage-retire"),
    path("admin/stages/<int:pk>/reorder/", views.admin_stage_reorder, name="stage-reorder"),
    path("admin/steps/new/", views.admin_step_create, name="step-create"),
    path("admin/steps/<int:pk>/", views.admin_step_edit, name="step-edit"),
    path("admin/steps/<int:pk>/retire/", views.admin_step_retire, name="step-retire"),
    path("admin/steps/<int:pk>/reorder/", views.admin_step_reorder, name="step-reorder"),
    *catalog.urlpatterns,
]
