"""Celery tasks of the upstream exchange: thin wrappers around the relay's services (STYLE §2.2, §2.8)."""

from celery import shared_task

from django.conf import settings
from django.utils import timezone

from . import services


@shared_task(acks_late=True)
def push_outbox() -> dict[str, int]:
    """Drain the outbox: batches until nothing is due, the upstream fails or the time budget is used."""
    return services.drain_outbox(
        batch_size=settings.UPSTREAM_BATCH_SIZE, time_budget_seconds=settings.UPSTREAM_DRAIN_SECONDS
    )


@shared_task(acks_late=True)
def reconcile_upstream() -> dict:
    """Nightly: compare what went upstream with what should have, and store the report."""
    report = services.reconcile_upstream(now=timezone.now())
    return {"id": report.pk, "is_clean": report.is_clean}
