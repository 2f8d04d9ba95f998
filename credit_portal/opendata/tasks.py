"""Periodic tasks of the open-data app: a few lines each around a service (STYLE §2.7)."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def sync_changes() -> int:
    """Append new public change events from the outbox."""
    return services.sync_changes()


@shared_task(acks_late=True)
def export_open_data() -> str:
    """Write today's open-data snapshot and delta."""
    return services.export_open_data()["date"]
