"""Reads of repair and objections: the review queue, one application, tracking, statistics (DOMAIN §8)."""

from __future__ import annotations

import datetime
import statistics
from collections import Counter

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from credit_portal import access

from .choices import FINAL_STATUSES, OPEN_STATUSES, ApplicationKind, ApplicationStatus, TargetKind
from .models import Application


def applications_for_staff(*, user) -> QuerySet[Application]:
    """The review queue: scoped to the user, with what a row shows joined in."""
    return (
        Application.objects.visible_to(user)
        .select_related("department", "subject", "penalty", "licensing", "list_entry__list_type")
        .order_by("-created_at", "-pk")
    )


def application_for_staff(*, user, pk: int) -> Application | None:
    """One application with its steps and materials, or None outside the user's scope (a 404)."""
    return applications_for_staff(user=user).prefetch_related("steps__by", "materials").filter(pk=pk).first()


def application_for_applicant(*, tracking_number: str, contact: str) -> Application | None:
    """An application by tracking number and contact; a wrong contact looks exactly like a wrong number."""
    number = (tracking_number or "").strip().upper()
    if not number or not (contact or "").strip():
        return None
    application = (
        Application.objects.select_related("department", "penalty", "licensing", "list_entry__list_type")
        .prefetch_related("steps")
        .filter(tracking_number=number)
        .first()
    )
    if application is None or not application.matches_contact(contact):
        return None
    return application


def list_entries_under_objection() -> QuerySet:
    """Ids of list entries with an open objection: the list pages may show "异议处理中" beside them (DOMAIN §8)."""
    return Application.objects.filter(
        kind=ApplicationKind.OBJECTION, target_kind=TargetKind.LIST_ENTRY, status__in=OPEN_STATUSES
    ).values_list("list_entry_id", flat=True)


def statistics_for_office(*, start: datetime.date | None = None, end: datetime.date | None = None) -> dict:
    """Applications by kind and outcome, median handling time in working days, share within limits (DOMAIN §8)."""
    queryset = Application.objects.all()
    if start:
        queryset = queryset.filter(submitted_on__gte=start)
    if end:
        queryset = queryset.filter(submitted_on__lte=end)
    counts = Counter(
        {(row["kind"], row["status"]): row["n"] for row in queryset.values("kind", "status").annotate(n=Count("pk"))}
    )
    finished = list(
        queryset.filter(status__in=FINAL_STATUSES).values_list("kind", "handling_working_days", "is_within_limit")
    )
    rows = []
    for kind, label in ApplicationKind.choices:
        days = [value for row_kind, value, _within in finished if row_kind == kind and value is not None]
        within = [flag for row_kind, _value, flag in finished if row_kind == kind and flag is not None]
        rows.append(
            {
                "kind": kind,
                "label": label,
                "total": sum(n for (row_kind, _status), n in counts.items() if row_kind == kind),
                "open": sum(
                    n for (row_kind, status), n in counts.items() if row_kind == kind and status in OPEN_STATUSES
                ),
                "by_status": [
                    {"status": status, "label": status_label, "count": counts.get((kind, status), 0)}
                    for status, status_label in ApplicationStatus.choices
                    if counts.get((kind, status), 0)
                ],
                "median_working_days": statistics.median(days) if days else None,
                "share_within_limit": round(sum(within) / len(within), 4) if within else None,
                "finished": len(within),
            }
        )
    overdue = queryset.filter(status__in=OPEN_STATUSES, is_overdue=True).count()
    return {"kinds": rows, "overdue_open": overdue}


def staff_home_blocks(*, user, today: datetime.date) -> list[dict]:
    """The staff home block: what waits for this user, and what is overdue."""
    role = access.role_of(user)
    if role is None:
        return []
    queryset = Application.objects.visible_to(user)
    base = reverse("repair-review")
    if role == access.Role.CLERK:
        counts = queryset.aggregate(
            routed=Count("pk", filter=Q(status=ApplicationStatus.ROUTED)),
            overdue=Count("pk", filter=Q(status=ApplicationStatus.ROUTED, is_overdue=True)),
        )
        items = [
            {"label": _("待答复的异议"), "count": counts["routed"], "url": f"{base}?status=routed"},
            {"label": _("超期未答复"), "count": counts["overdue"], "url": f"{base}?status=routed&overdue=true"},
        ]
        return [{"title": _("异议核查"), "items": items, "roles": ["clerk"]}]
    counts = queryset.aggregate(
        submitted=Count("pk", filter=Q(status=ApplicationStatus.SUBMITTED)),
        accepted=Count("pk", filter=Q(status=ApplicationStatus.ACCEPTED)),
        answered=Count("pk", filter=Q(status=ApplicationStatus.ANSWERED)),
        overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, is_overdue=True)),
    )
    items = [
        {"label": _("待受理"), "count": counts["submitted"], "url": f"{base}?status=submitted"},
        {"label": _("待审核的修复申请"), "count": counts["accepted"], "url": f"{base}?status=accepted"},
        {"label": _("待办结的异议"), "count": counts["answered"], "url": f"{base}?status=answered"},
        {"label": _("已超期"), "count": counts["overdue"], "url": f"{base}?overdue=true"},
        {"label": _("办理统计"), "count": None, "url": reverse("repair-stats")},
    ]
    return [{"title": _("信用修复与异议"), "items": items, "roles": ["reviewer", "admin"]}]
