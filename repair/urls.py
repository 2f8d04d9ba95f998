"""URLs of repair (wired in credit_portal/urls.py); names as in /work/notes/url-names.md."""

from django.urls import path

from . import views

urlpatterns = [
    path("repair/apply/", views.repair_apply, name="repair-apply"),
    path("repair/objection/", views.objection_apply, name="objection-apply"),
    path("repair/track/", views.track, name="repair-track"),
    path("staff/repair/", views.review_queue, name="repair-review"),
    path("staff/repair/stats/", views.stats, name="repair-stats"),
    path("staff/repair/<int:pk>/", views.application_detail, name="repair-application"),
    path("staff/repair/<int:pk>/<slug:action>/", views.application_action, name="repair-application-action"),
    path("staff/repair/materials/<int:pk>/", views.material, name="repair-material"),
]
