"""Reads of the exchange: the ops page's figures and the scoped event lists (STYLE §2.6)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Exists, Max, Min, OuterRef, QuerySet

from .models import OutboxEvent, ReconciliationReport

Status = OutboxEvent.Status


def events_for_staff(*, user) -> QuerySet[OutboxEvent]:
    """Events the user may see (clerks: their department's), with what a list shows."""
    return OutboxEvent.objects.visible_to(user).select_related("department", "content_type").order_by("-pk")


def open_rejections(queryset: QuerySet[OutboxEvent]) -> QuerySet[OutboxEvent]:
    """Rejected events whose object has not since had a newer event delivered (the correction went through)."""
    corrected = OutboxEvent.objects.filter(
        content_type=OuterRef("content_type"),
        object_id=OuterRef("object_id"),
        status=Status.DELIVERED,
        pk__gt=OuterRef("pk"),
    )
    return queryset.filter(status=Status.REJECTED).filter(~Exists(corrected))


def rejected_events_for(*, user) -> QuerySet[OutboxEvent]:
    """Open rejections a clerk must correct (their department's), newest first, with the upstream's message."""
    return open_rejections(events_for_staff(user=user))


def status_counts() -> dict[str, int]:
    """Outbox events by status, every status present (one query)."""
    counts = dict(OutboxEvent.objects.order_by().values_list("status").annotate(n=Count("pk")))
    return {status: counts.get(status, 0) for status in Status.values}


def ops_summary(*, now: datetime, limit: int = 50) -> dict:
    """The ops page: counts by status, oldest pending age, last successful push, dead and rejected events, report."""
    pending = OutboxEvent.objects.filter(status=Status.PENDING)
    figures = pending.aggregate(oldest=Min("created_at"), next_attempt=Min("next_attempt_at"))
    last_delivered = OutboxEvent.objects.aggregate(last=Max("delivered_at"))["last"]
    oldest = figures["oldest"]
    with_department = OutboxEvent.objects.select_related("department")
    return {
        "counts": status_counts(),
        "oldest_pending_at": oldest,
        "oldest_pending_seconds": int((now - oldest).total_seconds()) if oldest else None,
        "next_attempt_at": figures["next_attempt"],
        "last_delivered_at": last_delivered,
        "dead_events": list(with_department.filter(status=Status.DEAD).order_by("pk")[:limit]),
        "rejected_events": list(open_rejections(with_department).order_by("-pk")[:limit]),
        "report": ReconciliationReport.objects.first(),
    }


def health(*, now: datetime) -> dict:
    """Monitoring figures: database, broker, worker and upstream reachable, and the outbox backlog (issue 4)."""
    from celery import current_app

    from django.conf import settings
    from django.db import connection

    from . import upstream

    checks: dict = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = True
    except Exception:  # any failure means "down" here; the detail is in the database's own logs
        checks["database"] = False
    if settings.CELERY_TASK_ALWAYS_EAGER:
        # The embedded default has no broker: the job loop (run_jobs --loop) runs the tasks in-process.
        checks["broker"] = None
        checks["worker"] = None
    else:
        try:
            with current_app.connection_for_write() as broker:
                broker.ensure_connection(max_retries=1, timeout=2)
            checks["broker"] = True
        except Exception:
            checks["broker"] = False
        checks["worker"] = bool(checks["broker"] and current_app.control.ping(timeout=1.0))
    checks["upstream"] = upstream.is_reachable()
    summary = ops_summary(now=now, limit=0) if checks["database"] else {}
    outbox = {
        "counts": summary.get("counts"),
        "oldest_pending_seconds": summary.get("oldest_pending_seconds"),
        "last_delivered_at": summary.get("last_delivered_at"),
    }
    healthy = all(value is not False for value in checks.values())
    return {"healthy": healthy, "checks": checks, "outbox": outbox}
