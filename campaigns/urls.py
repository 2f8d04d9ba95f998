"""Pages of the campaigns app (no namespace: the shell's navigation reverses these names)."""

from django.urls import path

from . import views

urlpatterns = [
    path("campaigns/", views.home, name="campaigns-home"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaigns-detail"),
    path("campaigns/materials/<int:pk>/", views.material, name="campaigns-material"),
    path("campaigns/calendar/", views.calendar, name="campaigns-calendar"),
    path("campaigns/special-actions/", views.special_actions, name="campaigns-special-actions"),
    path("campaigns/role-models/", views.role_models, name="campaigns-role-models"),
    path("campaigns/star-merchants/", views.star_merchants, name="campaigns-star-merchants"),
    path("campaigns/complaints/new/", views.complaint_new, name="campaigns-complaint-new"),
    path("campaigns/complaints/track/", views.complaint_track, name="campaigns-complaint-track"),
    path("staff/campaigns/", views.staff_home, name="campaigns-staff"),
    path("staff/campaigns/new/", views.campaign_new, name="campaigns-staff-new"),
    path(
        "staff/campaigns/<int:pk>/publish/",
        views.campaign_publication,
        {"publish": True},
        name="campaigns-staff-publish",
    ),
    path(
        "staff/campaigns/<int:pk>/unpublish/",
        views.campaign_publication,
        {"publish": False},
        name="campaigns-staff-unpublish",
    ),
    path("staff/campaigns/actions/", views.staff_actions, name="campaigns-staff-actions"),
    path("staff/campaigns/actions/<int:pk>/report/", views.staff_action_report, name="campaigns-staff-action-report"),
    path("staff/campaigns/tasks/", views.staff_tasks, name="campaigns-staff-tasks"),
    path("staff/campaigns/tasks/ledger.xlsx", views.staff_tasks_xlsx, name="campaigns-staff-tasks-xlsx"),
    path("staff/campaigns/tasks/<int:pk>/", views.staff_task, name="campaigns-staff-task"),
    path("staff/campaigns/complaints/", views.staff_complaints, name="campaigns-staff-complaints"),
    path("staff/campaigns/complaints/<int:pk>/", views.staff_complaint, name="campaigns-staff-complaint"),
    path(
        "staff/campaigns/complaints/<int:pk>/evidence/<int:item>/",
        views.staff_evidence,
        name="campaigns-staff-evidence",
    ),
    path("staff/campaigns/credit-talks/", views.staff_credit_talks, name="campaigns-staff-credit-talks"),
    path("staff/campaigns/summary/", views.staff_summary, name="campaigns-staff-summary"),
]
