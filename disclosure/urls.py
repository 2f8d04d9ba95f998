"""Staff pages of the 双公示 records; URL names without namespace, as /work/notes/url-names.md lists them."""

from django.urls import include, path

from . import views

urlpatterns = [
    path("", include("disclosure.import_urls")),
    path("staff/disclosure/compliance/", views.compliance, name="disclosure-compliance"),
    path("staff/disclosure/penalties/", views.record_list, {"kind": "penalty"}, name="disclosure-penalties"),
    path("staff/disclosure/licensings/", views.record_list, {"kind": "licensing"}, name="disclosure-licensings"),
]
for _kind, _slug in (("penalty", "penalties"), ("licensing", "licensings")):
    urlpatterns += [
        path(
            f"staff/disclosure/{_slug}/new/", views.record_create, {"kind": _kind}, name=f"disclosure-{_kind}-create"
        ),
        path(
            f"staff/disclosure/{_slug}/<int:pk>/",
            views.record_detail,
            {"kind": _kind},
            name=f"disclosure-{_kind}-detail",
        ),
        path(
            f"staff/disclosure/{_slug}/<int:pk>/edit/",
            views.record_edit,
            {"kind": _kind},
            name=f"disclosure-{_kind}-edit",
        ),
        path(
            f"staff/disclosure/{_slug}/<int:pk>/publish/",
            views.record_publish,
            {"kind": _kind},
            name=f"disclosure-{_kind}-publish",
        ),
        path(
            f"staff/disclosure/{_slug}/<int:pk>/revocation/",
            views.record_revocation,
            {"kind": _kind},
            name=f"disclosure-{_kind}-revocation",
        ),
        path(
            f"staff/disclosure/{_slug}/<int:pk>/withdraw/",
            views.record_withdraw,
            {"kind": _kind},
            name=f"disclosure-{_kind}-withdraw",
        ),
    ]
