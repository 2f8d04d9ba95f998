"""/api/v1/public/list-entries/ (DOMAIN §11)."""

from rest_framework.routers import SimpleRouter

from . import public_views

router = SimpleRouter()
router.register("list-entries", public_views.PublicListEntryViewSet, basename="public-list-entry")

urlpatterns = router.urls
