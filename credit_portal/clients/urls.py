"""Pages of managed API clients (issue 12)."""

from django.urls import path

from . import views

urlpatterns = [
    path("clients/apply/", views.apply, name="clients-apply"),
    path("staff/clients/", views.client_list, name="clients-staff"),
    path("staff/clients/usage/", views.usage, name="clients-staff-usage"),
    path("staff/clients/<int:pk>/", views.client_detail, name="clients-staff-detail"),
    path("staff/clients/<int:pk>/<slug:action>/", views.client_action, name="clients-staff-action"),
]
