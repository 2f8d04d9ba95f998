"""Reads of the 双公示 records for staff: scoped, with their joins (STYLE §2.5, §2.6)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from credit_portal import access
from credit_portal.exchange.models import OutboxEvent
from credit_portal.models import AuditEvent
from registry.models import Department

from .choices import RecordKind, RecordStatus, Timeliness
from .models import Licensing, Penalty, RecordVersion

STAFF_JOINS = ("department", "subject", "filed_by")


def licensings_for_staff(*, user) -> QuerySet[Licensing]:
    """Licensing records the user may see: a clerk's own department's, everyone's for the credit office."""
    return Licensing.objects.visible_to(user).select_related(*STAFF_JOINS)


def penalties_for_staff(*, user) -> QuerySet[Penalty]:
    """Penalty records the user may see: a clerk's own department's, everyone's for the credit office."""
    return Penalty.objects.visible_to(user).select_related(*STAFF_JOINS)


def records_for_staff(*, user, kind: str) -> QuerySet:
    return licensings_for_staff(user=user) if kind == RecordKind.LICENSING else penalties_for_staff(user=user)


def record_versions(record: Licensing | Penalty) -> QuerySet[RecordVersion]:
    """Earlier versions of a corrected record, newest first."""
    return RecordVersion.objects.filter(kind=record.record_kind, record_id=record.pk).select_related("changed_by")


def record_outbox_events(record: Licensing | Penalty) -> QuerySet[OutboxEvent]:
    """What went (or waits to go) upstream about this record (DOMAIN §12)."""
    content_type = ContentType.objects.get_for_model(record)
    return OutboxEvent.objects.filter(content_type=content_type, object_id=record.pk).order_by("-pk")


AUDIT_ACTIONS = {
    "filed": _("填报"),
    "updated": _("修改"),
    "corrected": _("更正"),
    "published": _("公示"),
    "withdrawn": _("撤销"),
    "expired": _("公示期满"),
    "stopped_by_repair": _("信用修复停止公示"),
    "objection_marked": _("标记异议处理中"),
    "objection_cleared": _("异议处理完毕"),
}


def record_audit_events(record: Licensing | Penalty, *, limit: int = 50) -> list[AuditEvent]:
    """The record's audit trail, newest first, each with a readable ``action_label``."""
    content_type = ContentType.objects.get_for_model(record)
    events = list(
        AuditEvent.objects.filter(content_type=content_type, object_id=str(record.pk)).select_related("actor")[:limit]
    )
    for event in events:
        event.action_label = AUDIT_ACTIONS.get(event.action, event.action)
    return events


@dataclass
class DepartmentCompliance:
    """One department's timeliness figures (DOMAIN §4): 合规率 is the on-time share of the records that fell due."""

    department_id: int
    department_name: str
    total: int = 0
    on_time: int = 0
    late: int = 0
    overdue: int = 0
    pending: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)

    @property
    def decided(self) -> int:
        return self.on_time + self.late + self.overdue

    @property
    def compliance_rate(self) -> float | None:
        return round(100 * self.on_time / self.decided, 1) if self.decided else None

    def as_dict(self) -> dict:
        return {
            "department_id": self.department_id,
            "department_name": self.department_name,
            "total": self.total,
            "on_time": self.on_time,
            "late": self.late,
            "overdue": self.overdue,
            "pending": self.pending,
            "compliance_rate": self.compliance_rate,
            "by_kind": self.by_kind,
        }


def _timeliness_counts(queryset: QuerySet) -> QuerySet:
    return (
        queryset.values("department_id")
        .annotate(
            total=Count("pk"),
            on_time=Count("pk", filter=Q(timeliness=Timeliness.ON_TIME)),
            late=Count("pk", filter=Q(timeliness=Timeliness.LATE)),
            overdue=Count("pk", filter=Q(timeliness=Timeliness.OVERDUE)),
            pending=Count("pk", filter=Q(timeliness=Timeliness.PENDING)),
        )
        .order_by()
    )


def compliance_by_department(
    *, user, date_from: datetime.date | None = None, date_to: datetime.date | None = None
) -> list[DepartmentCompliance]:
    """Per department: records due, on time, late (迟报), overdue and the 合规率; two grouped queries in all."""
    departments = access.scope_to_department(Department.objects.all(), user, field="pk")
    rows = {d.pk: DepartmentCompliance(d.pk, d.name) for d in departments.only("pk", "name").order_by("name")}
    for model in (Licensing, Penalty):
        # Withdrawn drafts and records not to be published do not count against a department (DOMAIN §4).
        queryset = (
            model.objects.visible_to(user)
            .filter(is_publishable=True)
            .exclude(status=RecordStatus.WITHDRAWN, published_at__isnull=True)
        )
        if date_from:
            queryset = queryset.filter(decision_date__gte=date_from)
        if date_to:
            queryset = queryset.filter(decision_date__lte=date_to)
        for counts in _timeliness_counts(queryset):
            row = rows.get(counts["department_id"])
            if row is None:
                continue
            for name in ("total", "on_time", "late", "overdue", "pending"):
                setattr(row, name, getattr(row, name) + counts[name])
            row.by_kind[model.record_kind] = counts["total"]
    return list(rows.values())


def compliance_totals(rows: list[DepartmentCompliance]) -> DepartmentCompliance:
    total = DepartmentCompliance(0, gettext("合计"))
    for row in rows:
        for name in ("total", "on_time", "late", "overdue", "pending"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return total


def records_per_month(*, user, since: datetime.date) -> list[dict]:
    """Records decided per month and kind since a date, for the dashboard."""
    months: dict[datetime.date, dict] = {}
    for model in (Licensing, Penalty):
        queryset = (
            model.objects.visible_to(user)
            .filter(decision_date__gte=since)
            .annotate(month=TruncMonth("decision_date"))
            .values("month")
            .annotate(count=Count("pk"))
            .order_by()
        )
        for row in queryset:
            month = row["month"]
            month = month.date() if isinstance(month, datetime.datetime) else month
            entry = months.setdefault(month, {"month": month, RecordKind.LICENSING: 0, RecordKind.PENALTY: 0})
            entry[model.record_kind] = row["count"]
    return [months[key] for key in sorted(months)]


def overdue_records(*, user, limit: int = 100) -> list[Licensing | Penalty]:
    """Unpublished records past their due date, oldest due first."""
    records: list = []
    for model in (Licensing, Penalty):
        records.extend(
            model.objects.visible_to(user)
            .filter(status=RecordStatus.DRAFT, timeliness=Timeliness.OVERDUE)
            .select_related("department")
            .order_by("publication_due_date", "pk")[:limit]
        )
    return sorted(records, key=lambda record: (record.publication_due_date, record.pk))[:limit]


def staff_home_blocks(*, user, today: datetime.date) -> list[dict]:
    """The staff start page's 双公示 block: what waits, what is overdue (see /work/notes/url-names.md)."""
    if not access.is_staff_member(user):
        return []
    items = []
    for model, name, label in (
        (Penalty, "disclosure-penalties", gettext("行政处罚")),
        (Licensing, "disclosure-licensings", gettext("行政许可")),
    ):
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        counts = (
            model.objects.visible_to(user)
            .filter(status=RecordStatus.DRAFT, is_publishable=True)
            .aggregate(
                pending=Count("pk", filter=Q(timeliness=Timeliness.PENDING)),
                overdue=Count("pk", filter=Q(timeliness=Timeliness.OVERDUE)),
            )
        )
        items.append(
            {
                "label": gettext("%(kind)s待公示") % {"kind": label},
                "count": counts["pending"],
                "url": f"{url}?timeliness=pending",
            }
        )
        items.append(
            {
                "label": gettext("%(kind)s逾期未公示") % {"kind": label},
                "count": counts["overdue"],
                "url": f"{url}?timeliness=overdue",
            }
        )
    return [{"title": gettext("双公示"), "items": items, "roles": ["clerk", "reviewer", "admin"]}]
