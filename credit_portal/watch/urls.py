"""Staff pages of the watch app (issue 12)."""

from django.urls import path

from . import views

urlpatterns = [
    path("staff/watch/", views.watchlists, name="watch-lists"),
    path("staff/watch/changes/", views.changes, name="watch-changes"),
    path("staff/watch/lists/<int:pk>/", views.watchlist, name="watch-list"),
    path("staff/watch/lists/<int:pk>/add/", views.watchlist_add, name="watch-list-add"),
    path("staff/watch/lists/<int:pk>/upload/", views.watchlist_upload, name="watch-list-upload"),
    path("staff/watch/lists/<int:pk>/remove/", views.watchlist_remove, name="watch-list-remove"),
    path("staff/watch/lists/<int:pk>/delete/", views.watchlist_delete, name="watch-list-delete"),
    path("staff/watch/webhooks/", views.webhook_list, name="watch-webhooks"),
    path("staff/watch/webhooks/<int:pk>/", views.webhook, name="watch-webhook"),
    # Before the actions' pattern, which "delete" would match too.
    path("staff/watch/webhooks/<int:pk>/delete/", views.webhook_delete, name="watch-webhook-delete"),
    path("staff/watch/webhooks/<int:pk>/<slug:action>/", views.webhook_action, name="watch-webhook-action"),
    path("staff/watch/deliveries/<int:pk>/redeliver/", views.delivery_redeliver, name="watch-redeliver"),
]
