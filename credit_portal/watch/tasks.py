"""Celery tasks of the watch app: a few lines each around a service (STYLE §2.2, §2.8)."""

from __future__ import annotations

from celery import shared_task

from . import services, webhooks


@shared_task(acks_late=True)
def match_changes() -> dict[str, int]:
    """Match new public change events to the watchlists; write notifications and webhook deliveries."""
    return services.match_changes()


@shared_task(acks_late=True)
def send_webhooks() -> dict[str, int]:
    """Send due webhook deliveries until none is due or the time budget is used; retries come from the backoff."""
    return webhooks.drain()


@shared_task(acks_late=True)
def send_digests() -> int:
    """Daily: mail each watcher the changes matched since the last digest."""
    return services.send_digests()


@shared_task(acks_late=True)
def prune() -> dict[str, int]:
    """Daily: delete digested matches and delivered webhook deliveries older than WATCH_KEEP_DAYS."""
    from django.utils import timezone

    return services.prune(now=timezone.now())
