"""Public 双公示 查询 pages, included from disclosure/urls.py (names as in /work/notes/url-names.md)."""

from django.urls import path

from . import public_views

urlpatterns = [
    path("publicity/penalties/", public_views.penalty_search, name="disclosure-public-penalties"),
    path("publicity/penalties/<int:pk>/", public_views.penalty_detail, name="disclosure-public-penalty"),
    path("publicity/licensings/", public_views.licensing_search, name="disclosure-public-licensings"),
    path("publicity/licensings/<int:pk>/", public_views.licensing_detail, name="disclosure-public-licensing"),
]
