"""Watch API routes, at /api/v1/watch/ (issue 12)."""

from rest_framework.routers import SimpleRouter

from .views import WatchlistViewSet, WatchMatchViewSet, WebhookDeliveryViewSet, WebhookEndpointViewSet

router = SimpleRouter()
router.register("watchlists", WatchlistViewSet, basename="watch-watchlist")
router.register("changes", WatchMatchViewSet, basename="watch-change")
router.register("webhooks", WebhookEndpointViewSet, basename="watch-webhook-api")
router.register("deliveries", WebhookDeliveryViewSet, basename="watch-delivery")

urlpatterns = router.urls
