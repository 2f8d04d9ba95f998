"""Staff repair API, at /api/v1/repair/ (wired in credit_portal/urls.py)."""

from rest_framework.routers import SimpleRouter

from .views import ApplicationViewSet

router = SimpleRouter()
router.register("applications", ApplicationViewSet, basename="repair-api-application")
urlpatterns = router.urls
