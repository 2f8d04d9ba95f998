"""/api/v1/sanctions/ (DOMAIN §11)."""

from rest_framework.routers import SimpleRouter

from . import views

router = SimpleRouter()
router.register("list-types", views.ListTypeViewSet, basename="sanctions-list-type")
router.register("measures", views.MeasureViewSet, basename="sanctions-measure")
router.register("list-entries", views.ListEntryViewSet, basename="sanctions-list-entry")
router.register("credit-checks", views.CreditCheckViewSet, basename="sanctions-credit-check")

urlpatterns = router.urls
