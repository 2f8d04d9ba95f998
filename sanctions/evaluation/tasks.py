"""Celery tasks of the public credit evaluation: thin wrappers around its services (STYLE §2.8)."""

from __future__ import annotations

from celery import shared_task

from django.db import OperationalError
from django.utils import timezone

from registry.models import Subject

from . import services


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def recompute_grades() -> int:
    """Nightly: grade every subject with the model in force; recomputed from the records, so a rerun is harmless."""
    return services.recompute_grades(today=timezone.localdate())


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def recompute_subject_grade(subject_id: int) -> None:
    """Grade one subject whose record changed."""
    subject = Subject.objects.filter(pk=subject_id).first()
    if subject is not None:  # deleted meanwhile: nothing to do
        services.recompute_subject_grade(subject=subject, today=timezone.localdate())


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def recompute_subject_grades(subject_ids: list[int]) -> int:
    """Grade the subjects whose public record changed, set-based; recomputed from the records, so rerunnable."""
    return services.recompute_grades_of(subject_ids=subject_ids, today=timezone.localdate())
