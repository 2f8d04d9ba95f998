"""Public open-data API, at /api/v1/public/ (issue 12)."""

from django.urls import path

from .views import ChangeFeedView

urlpatterns = [
    path("changes/", ChangeFeedView.as_view(), name="opendata-public-changes"),
]
