"""Clerks' API at /api/v1/disclosure/ (DOMAIN §11); the import routes come from import_urls."""

from rest_framework.routers import SimpleRouter

from django.urls import include, path

from . import views

router = SimpleRouter()
router.register("licensings", views.LicensingViewSet, basename="disclosure-licensing-api")
router.register("penalties", views.PenaltyViewSet, basename="disclosure-penalty-api")

urlpatterns: list = [
    path("", include("disclosure.api.import_urls")),
    path("compliance/", views.ComplianceView.as_view(), name="disclosure-compliance-api"),
    *router.urls,
]
