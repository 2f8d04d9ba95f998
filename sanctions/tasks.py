"""Celery tasks of the sanctions app: thin wrappers around services (STYLE §2.8)."""

from __future__ import annotations

from celery import shared_task

from django.db import OperationalError
from django.utils import timezone

from . import services


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def expire_listings() -> int:
    """Daily: remove entries whose validity is over and tell upstream (DOMAIN §6); a rerun finds nothing left."""
    return services.expire_listings(today=timezone.localdate())


# The worker discovers only ``<app>.tasks``: import the subpackages' tasks so that they are registered too.
from .commitments import tasks as commitment_tasks  # noqa: E402, F401
from .evaluation import tasks as evaluation_tasks  # noqa: E402, F401
