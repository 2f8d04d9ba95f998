"""Bulk import API routes, included from disclosure/api/urls.py (at /api/v1/disclosure/)."""

from rest_framework.routers import SimpleRouter

from django.urls import re_path

from .import_views import ImportJobViewSet, ImportTemplateView

router = SimpleRouter()
router.register("imports", ImportJobViewSet, basename="disclosure-import-job")

urlpatterns = [
    re_path(
        r"^imports/templates/(?P<kind>licensing|penalty)\.(?P<file_format>xlsx|csv)$",
        ImportTemplateView.as_view(),
        name="disclosure-import-template-api",
    ),
    *router.urls,
]
