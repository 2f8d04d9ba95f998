"""/api/v1/sanctions/ (DOMAIN §11)."""

from rest_framework.routers import SimpleRouter

from django.urls import path

from ..commitments.api import CommitmentViewSet
from ..evaluation.api import StaffGradeView
from . import views

router = SimpleRouter()
router.register("list-types", views.ListTypeViewSet, basename="sanctions-list-type")
router.register("measures", views.MeasureViewSet, basename="sanctions-measure")
router.register("list-entries", views.ListEntryViewSet, basename="sanctions-list-entry")
router.register("credit-checks", views.CreditCheckViewSet, basename="sanctions-credit-check")
router.register("commitments", CommitmentViewSet, basename="sanctions-commitment")

urlpatterns = router.urls + [
    path("grades/<int:subject_id>/", StaffGradeView.as_view(), name="sanctions-grade"),
]
