"""Pages of the exchange: the ops page and the clerks' list of rejected records."""

from django.urls import path

from . import views

urlpatterns = [
    path("staff/ops/", views.ops, name="ops"),
    path("staff/ops/rejected/", views.ops_rejected, name="ops-rejected"),
    path("staff/ops/events/<int:pk>/resend/", views.ops_resend, name="ops-resend"),
]
