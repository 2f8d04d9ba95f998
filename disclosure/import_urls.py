"""Pages of the bulk import (clerks) and the public 双公示 查询 pages, included from disclosure/urls.py."""

from django.urls import include, path, re_path

from .imports import views

urlpatterns = [
    path("staff/disclosure/imports/", views.import_page, name="disclosure-import"),
    path("staff/disclosure/imports/<int:pk>/", views.import_job_page, name="disclosure-import-job"),
    path("staff/disclosure/imports/<int:pk>/errors.csv", views.import_errors_csv, name="disclosure-import-errors"),
    path(
        "staff/disclosure/imports/<int:pk>/errors.xlsx", views.import_errors_xlsx, name="disclosure-import-errors-xlsx"
    ),
    re_path(
        r"^disclosure/import-templates/(?P<kind>licensing|penalty)\.(?P<file_format>xlsx|csv)$",
        views.import_template,
        name="disclosure-import-template",
    ),
    path("", include("disclosure.public_page_urls")),
]
