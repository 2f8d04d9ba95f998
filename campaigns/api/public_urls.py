"""Public API of the campaigns app, at /api/v1/public/ (no account needed)."""

from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("campaigns", views.PublicCampaignViewSet, basename="public-campaign")
router.register("special-actions", views.PublicSpecialActionViewSet, basename="public-special-action")
router.register("role-models", views.PublicRoleModelViewSet, basename="public-role-model")
router.register("star-merchants", views.PublicStarMerchantViewSet, basename="public-star-merchant")
router.register("complaints", views.PublicComplaintViewSet, basename="public-complaint")

urlpatterns = router.urls
