"""Celery tasks of repair: thin wrappers of the services (STYLE §2.8)."""

from __future__ import annotations

from celery import shared_task

from django.db import OperationalError
from django.utils import timezone

from . import services


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def scan_time_limits() -> dict:
    """Hourly: flag applications past their limit and remind staff before one (DOMAIN §8)."""
    return services.scan_time_limits(today=timezone.localdate())
