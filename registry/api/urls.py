"""/api/v1/registry/ (DOMAIN §11)."""

from rest_framework.routers import SimpleRouter

from django.urls import path

from . import views

router = SimpleRouter()
router.register("departments", views.DepartmentViewSet, basename="department")
router.register("subjects", views.SubjectViewSet, basename="subject")

urlpatterns = [
    path("validate-code", views.ValidateCodeView.as_view(), name="api-validate-code"),
    path("code-quality/", views.CodeQualityView.as_view(), name="api-code-quality"),
    *router.urls,
]
