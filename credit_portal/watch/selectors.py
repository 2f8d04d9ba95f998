"""Reads of the watch app, always scoped to the owner (STYLE §2.5, §2.6)."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from . import webhooks
from .models import WatchedSubject, Watchlist, WatchMatch, WebhookDelivery, WebhookEndpoint


def watchlists_of(*, user) -> QuerySet[Watchlist]:
    return Watchlist.objects.owned_by(user).annotate(code_count=Count("subjects")).order_by("name", "pk")


def codes_of(*, watchlist: Watchlist) -> QuerySet[WatchedSubject]:
    return watchlist.subjects.order_by("uscc")


def matches_of(*, user) -> QuerySet[WatchMatch]:
    return WatchMatch.objects.owned_by(user).select_related("change").order_by("-change_id")


def endpoints_of(*, user) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.owned_by(user).order_by("pk")


def deliveries_of(*, user) -> QuerySet[WebhookDelivery]:
    if user is None or not user.is_authenticated:
        return WebhookDelivery.objects.none()
    return WebhookDelivery.objects.filter(endpoint__owner=user).select_related("change", "endpoint").order_by("-pk")


def delivery_log(*, user, endpoint: WebhookEndpoint) -> QuerySet[WebhookDelivery]:
    """One endpoint's deliveries, newest first; ``waits_for_earlier`` marks a pending one held back by an undelivered
    earlier change of its subject (sent in order per subject, ``webhooks.due_deliveries``)."""
    return deliveries_of(user=user).filter(endpoint=endpoint).annotate(waits_for_earlier=webhooks.earlier_pending())
