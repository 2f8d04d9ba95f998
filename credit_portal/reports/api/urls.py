from django.urls import path

from . import views

urlpatterns = [path("dashboards/<slug:key>/", views.dashboard_data, name="api-dashboard-data")]
