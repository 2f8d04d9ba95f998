"""Registry pages; names as /work/notes/url-names.md lists them (no namespace, the navigation reverses them)."""

from django.urls import path

from . import views

urlpatterns = [
    path("code-check/", views.code_check, name="code-check"),
    path("staff/subjects/", views.subject_search, name="subject-search"),
    path("staff/subjects/<int:pk>/", views.subject_detail, name="subject-detail"),
    path("staff/code-quality/", views.code_quality, name="code-quality"),
]
