"""Celery tasks of the disclosure app: each wraps one service, takes no record state, is safe to run twice."""

from __future__ import annotations

from celery import shared_task

from django.db import OperationalError
from django.utils import timezone

from . import services
from .imports.tasks import run_import  # noqa: F401  (registers disclosure.run_import for the worker)


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def mark_overdue() -> int:
    """Mark records past their publication deadline overdue and notify the clerks (DOMAIN §4)."""
    return services.mark_overdue(today=timezone.localdate())


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def refresh_provisional_due_dates() -> int:
    """Recompute provisional due dates once the year's official holiday schedule is entered (DOMAIN §4)."""
    return services.refresh_provisional_due_dates(today=timezone.localdate())


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def send_deadline_reminders() -> int:
    """Remind clerks of records due within two working days (DOMAIN §4)."""
    return services.send_deadline_reminders(today=timezone.localdate())


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def expire_records() -> int:
    """Stop publishing records whose period or validity is over, and tell upstream (DOMAIN §5)."""
    return services.expire_records(today=timezone.localdate())
