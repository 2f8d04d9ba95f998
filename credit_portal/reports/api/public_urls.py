from django.urls import path

from . import views

urlpatterns = [path("credit-reports/verify/", views.verify_report, name="api-credit-report-verify")]
