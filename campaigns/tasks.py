"""Celery tasks of the campaigns app: each runs one service and works out "today" itself (STYLE §2.8)."""

from celery import shared_task

from django.db import OperationalError
from django.utils import timezone

from . import services


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def flag_overdue_complaints() -> int:
    """Flag complaints past their handling deadline and tell the departments."""
    return services.flag_overdue_complaints(today=timezone.localdate())


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def flag_overdue_tasks() -> int:
    """Flag ledger tasks past their deadline and tell the responsible units."""
    return services.flag_overdue_tasks(today=timezone.localdate())


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def remind_missing_action_reports() -> int:
    """Remind units that have not reported last month's progress on their special actions."""
    return services.remind_missing_action_reports(today=timezone.localdate())
