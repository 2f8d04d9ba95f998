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
