"""Periodic tasks of managed API clients: a few lines each around a service (STYLE §2.7)."""

from __future__ import annotations

from celery import shared_task

from django.utils import timezone

from . import services


@shared_task(acks_late=True)
def expire_clients() -> int:
    """Mark clients whose validity window ended as expired."""
    return services.expire_clients(today=timezone.localdate())


@shared_task(acks_late=True)
def prune_call_logs() -> dict:
    """Delete call logs past their keeping period (public data early, the rest never before 5 years)."""
    return services.prune_call_logs(now=timezone.now())
