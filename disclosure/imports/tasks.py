"""Celery task of the bulk import: takes the job id, re-reads the job, safe to run twice (STYLE §2.8)."""

from __future__ import annotations

from celery import shared_task

from django.db import OperationalError


@shared_task(
    name="disclosure.run_import", acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3
)
def run_import(job_id: int) -> None:
    """Import one uploaded file (``services.run_import``)."""
    from . import services

    services.run_import(job_id=job_id)


@shared_task(acks_late=True)
def purge_import_files() -> int:
    """Delete stored uploads of old finished imports (``services.purge_import_files``)."""
    from django.conf import settings
    from django.utils import timezone

    from . import services

    return services.purge_import_files(now=timezone.now(), keep_days=settings.DISCLOSURE_IMPORT_KEEP_DAYS)
