"""/api/v1/sanctions/ (DOMAIN §11)."""

from rest_framework.routers import SimpleRouter

from django.urls import path

from ..commitments.api import CommitmentViewSet
from ..evaluation.api import StaffGradeView
from ..integrity import api as integrity_api
from . import views

router = SimpleRouter()
router.register("list-types", views.ListTypeViewSet, basename="sanctions-list-type")
router.register("measures", views.MeasureViewSet, basename="sanctions-measure")
router.register("list-entries", views.ListEntryViewSet, basename="sanctions-list-entry")
router.register("credit-checks", views.CreditCheckViewSet, basename="sanctions-credit-check")
router.register("commitments", CommitmentViewSet, basename="sanctions-commitment")

urlpatterns = router.urls + [
    path("grades/<int:subject_id>/", StaffGradeView.as_view(), name="sanctions-grade"),
    path("integrity/records/", integrity_api.GovernmentRecordView.as_view(), name="sanctions-integrity-records"),
    path(
        "integrity/records/<int:pk>/publish/",
        integrity_api.GovernmentRecordPublishView.as_view(),
        name="sanctions-integrity-record-publish",
    ),
    path("integrity/assessments/", integrity_api.AssessmentView.as_view(), name="sanctions-integrity-assessments"),
    path(
        "integrity/assessments/<int:pk>/finalise/",
        integrity_api.AssessmentFinaliseView.as_view(),
        name="sanctions-integrity-assessment-finalise",
    ),
]
