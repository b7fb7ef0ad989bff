"""Everything under /api/v1/: each app's collections on one router, plus search and task status."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from rapport.access.api.urls import register as register_access
from rapport.activities.api.urls import register as register_activities
from rapport.api.search import SearchView
from rapport.customers.api.urls import register as register_customers
from rapport.imports.api.urls import register as register_imports
from rapport.leads.api.urls import register as register_leads
from rapport.pipeline.api.urls import register as register_pipeline
from rapport.quality.cleaning.api.urls import register as register_cleaning
from rapport.quality.dedupe.api.urls import register as register_dedupe
from rapport.quality.merge.api.urls import register as register_merge
from rapport.quality.rules.api.urls import register as register_rules
from rapport.quality.scores.api.urls import register as register_scores

app_name = "api"

router = DefaultRouter()
router.include_root_view = False
register_access(router)
register_customers(router)
register_activities(router)
register_pipeline(router)
register_leads(router)
register_rules(router)
register_cleaning(router)
register_dedupe(router)
register_merge(router)
register_scores(router)
register_imports(router)

urlpatterns = [
    path("", include(router.urls)),
    path("search/", SearchView.as_view(), name="search"),
    path("", include("rapport.core.api.urls")),
]
