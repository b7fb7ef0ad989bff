"""Everything under /api/v1/: each app's collections on one router, plus search and task status."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from rapport.access.api.urls import register as register_access
from rapport.api.search import SearchView

app_name = "api"

router = DefaultRouter()
router.include_root_view = False
register_access(router)

urlpatterns = [
    path("", include(router.urls)),
    path("search/", SearchView.as_view(), name="search"),
    path("", include("rapport.core.api.urls")),
]
