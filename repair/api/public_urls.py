"""Public repair API, at /api/v1/public/ (wired in credit_portal/urls.py): no account needed (DOMAIN §8)."""

from rest_framework.routers import SimpleRouter

from .views import PublicApplicationViewSet

router = SimpleRouter()
router.register("repair-applications", PublicApplicationViewSet, basename="public-repair-application")
urlpatterns = router.urls
