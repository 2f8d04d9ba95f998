"""Staff API of the exchange, at /api/v1/exchange/."""

from rest_framework.routers import SimpleRouter

from django.urls import path

from .views import OutboxEventViewSet, health

router = SimpleRouter()
router.register("events", OutboxEventViewSet, basename="exchange-event")

urlpatterns = [path("health/", health, name="exchange-health"), *router.urls]
