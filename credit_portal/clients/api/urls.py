"""API of managed clients, at /api/v1/clients/ (issue 12)."""

from rest_framework.routers import SimpleRouter

from django.urls import path

from . import views

router = SimpleRouter()
router.register("manage", views.ApiClientViewSet, basename="clients-manage")

urlpatterns = [
    path("applications/", views.ApplicationView.as_view(), name="clients-application"),
    path("usage/", views.UsageView.as_view(), name="clients-usage-api"),
    path("me/", views.OwnTermsView.as_view(), name="clients-me"),
    *router.urls,
]
