"""Reads of import jobs, scoped to the user's department (STYLE §2.5)."""

from __future__ import annotations

from django.db.models import QuerySet

from credit_portal import access
from disclosure.models import ImportJob


def import_jobs_for(*, user) -> QuerySet[ImportJob]:
    """Jobs the user may follow: a clerk's own department's; the credit office's and administrators' all."""
    return (
        access.scope_to_department(ImportJob.objects.all(), user)
        .select_related("department", "uploaded_by")
        .order_by("-created_at", "-pk")
    )
