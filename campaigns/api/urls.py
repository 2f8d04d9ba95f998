"""Staff API of the campaigns app, at /api/v1/campaigns/."""

from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("campaigns", views.CampaignViewSet, basename="campaigns-campaign")
router.register("actions", views.SpecialActionViewSet, basename="campaigns-action")
router.register("tasks", views.LedgerTaskViewSet, basename="campaigns-task")
router.register("complaints", views.ComplaintViewSet, basename="campaigns-complaint")
router.register("credit-talks", views.CreditTalkViewSet, basename="campaigns-credit-talk")

urlpatterns = router.urls
