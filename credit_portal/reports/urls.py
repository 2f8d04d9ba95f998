"""Pages of the portal's top layer; names as /work/notes/url-names.md lists them (no namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("subjects/", views.subject_search, name="subject-search-public"),
    path("subjects/<str:key>/", views.subject_profile, name="subject-profile"),
    path("credit-report/", views.credit_report, name="credit-report"),
    path("credit-report/verify/", views.credit_report_verify, name="credit-report-verify"),
    path("credit-report/<str:key>/download/", views.credit_report_download, name="credit-report-download"),
    path("staff/dashboards/", views.dashboard, name="dashboards"),
    path("staff/dashboards/<slug:key>.csv", views.dashboard_csv, name="dashboard-csv"),
]
