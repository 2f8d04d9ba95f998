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
