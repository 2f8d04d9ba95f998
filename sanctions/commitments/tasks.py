"""Celery tasks of credit commitments: thin wrappers around services (STYLE §2.8)."""

from __future__ import annotations

from celery import shared_task

from django.db import OperationalError
from django.utils import timezone

from . import services


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def flag_overdue_commitments() -> int:
    """Daily: flag commitments past their deadline without evidence; a rerun finds nothing left."""
    return services.flag_overdue_commitments(today=timezone.localdate())
