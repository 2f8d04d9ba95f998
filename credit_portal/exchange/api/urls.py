"""Staff API of the exchange, at /api/v1/exchange/."""

from rest_framework.routers import DefaultRouter

from .views import OutboxEventViewSet

router = DefaultRouter()
router.register("events", OutboxEventViewSet, basename="exchange-event")

urlpatterns = router.urls
