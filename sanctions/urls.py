"""Pages of the sanctions app (names as in /work/notes/url-names.md: no namespace)."""

from django.urls import path, re_path

from . import views
from .commitments import views as commitment_views
from .evaluation import views as evaluation_views
from .integrity import views as integrity_views

urlpatterns = [
    path("lists/", views.public_list, name="sanctions-public-list"),
    path("lists/<int:pk>/", views.public_entry, name="sanctions-public-entry"),
    path("staff/sanctions/entries/", views.entries, name="sanctions-entries"),
    path("staff/sanctions/entries/new/", views.propose, name="sanctions-entry-propose"),
    path("staff/sanctions/entries/<int:pk>/", views.entry_detail, name="sanctions-entry"),
    path("staff/sanctions/entries/<int:pk>/<slug:action>/", views.entry_action, name="sanctions-entry-action"),
    path("staff/sanctions/checks/", views.credit_check, name="sanctions-credit-check"),
    path("staff/sanctions/checks/upload/", views.credit_check_upload, name="sanctions-check-upload"),
    path("staff/sanctions/checks/<int:pk>/", views.check_detail, name="sanctions-check-detail"),
    path("staff/sanctions/checks/<int:pk>/feedback/", views.check_feedback, name="sanctions-check-feedback"),
    re_path(
        r"^staff/sanctions/checks/(?P<pk>\d+)/export\.(?P<fmt>csv|xlsx)$",
        views.check_export,
        name="sanctions-check-export",
    ),
    path("staff/sanctions/statistics/", views.statistics, name="sanctions-statistics"),
    path("staff/sanctions/commitments/", commitment_views.commitments, name="sanctions-commitments"),
    path("staff/sanctions/commitments/new/", commitment_views.commitment_new, name="sanctions-commitment-new"),
    path("staff/sanctions/commitments/<int:pk>/", commitment_views.commitment_detail, name="sanctions-commitment"),
    path(
        "staff/sanctions/commitments/letters/<slug:kind>/",
        commitment_views.commitment_letter,
        name="sanctions-commitment-letter",
    ),
    path("staff/sanctions/grades/<int:subject_id>/", evaluation_views.subject_grade, name="sanctions-subject-grade"),
    path("integrity/", integrity_views.public_summary, name="sanctions-public-integrity"),
    path("staff/sanctions/integrity/", integrity_views.ranking, name="sanctions-integrity"),
    path("staff/sanctions/integrity/assess/", integrity_views.assess, name="sanctions-integrity-assess"),
    path(
        "staff/sanctions/integrity/assessments/<int:pk>/finalise/",
        integrity_views.finalise,
        name="sanctions-integrity-finalise",
    ),
    path("staff/sanctions/integrity/records/new/", integrity_views.file_record, name="sanctions-integrity-record"),
    path(
        "staff/sanctions/integrity/records/<int:pk>/publish/",
        integrity_views.publish_record,
        name="sanctions-integrity-publish",
    ),
]
