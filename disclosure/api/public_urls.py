"""Public 双公示 search API, at /api/v1/public/ (DOMAIN §11)."""

from rest_framework.routers import SimpleRouter

from .public_views import PublicLicensingViewSet, PublicPenaltyViewSet

router = SimpleRouter()
router.register("penalties", PublicPenaltyViewSet, basename="public-penalty")
router.register("licensings", PublicLicensingViewSet, basename="public-licensing")

urlpatterns = router.urls
