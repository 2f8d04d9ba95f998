"""Celery tasks of the working-day calendar; each wraps one service."""

from celery import shared_task

from django.utils import timezone

from . import services


@shared_task
def warn_missing_schedules() -> int:
    """Warn administrators when this or next year has no official holiday schedule (DOMAIN §4)."""
    return services.warn_missing_schedules(today=timezone.localdate())
