"""Staff API of the exchange, at /api/v1/exchange/."""

from rest_framework.routers import DefaultRouter

from django.urls import path

from .views import OutboxEventViewSet, health

router = DefaultRouter()
router.register("events", OutboxEventViewSet, basename="exchange-event")

urlpatterns = [path("health/", health, name="exchange-health"), *router.urls]
