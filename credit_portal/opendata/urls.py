"""Public open-data pages (issue 12)."""

from django.urls import path

from . import views

urlpatterns = [
    path("open-data/", views.snapshots, name="opendata-snapshots"),
    path("open-data/<str:date>/<str:name>", views.download, name="opendata-download"),
]
