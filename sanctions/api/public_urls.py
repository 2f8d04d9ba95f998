"""/api/v1/public/list-entries/ (DOMAIN §11)."""

from rest_framework.routers import SimpleRouter

from django.urls import path

from ..commitments.api import PublicCommitmentViewSet
from ..evaluation.api import PublicGradeView
from ..integrity.api import PublicIntegritySummaryView
from . import public_views

router = SimpleRouter()
router.register("list-entries", public_views.PublicListEntryViewSet, basename="public-list-entry")
router.register("commitments", PublicCommitmentViewSet, basename="public-commitment")

urlpatterns = router.urls + [
    path("grades/<str:uscc>/", PublicGradeView.as_view(), name="public-grade"),
    path("integrity/<int:year>/", PublicIntegritySummaryView.as_view(), name="public-integrity-summary"),
]
