"""Staff dashboards: one grouped query per chart, scoped to what the user may see (issue 8, STYLE §2.5).

A chart is a table first (its columns and rows are what the CSV download gives) and a server-rendered SVG second;
no JavaScript library, nothing from another site.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Max, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from campaigns.choices import ComplaintStatus
from campaigns.models import Complaint
from credit_portal import access
from disclosure.choices import RecordStatus, Timeliness
from disclosure.models import Licensing, Penalty
from registry.models import Department
from repair.choices import ApplicationKind
from repair.models import Application
from sanctions.choices import EntryStatus, FeedbackOutcome, ListColor
from sanctions.models import CreditCheck, ListEntry, MeasureFeedback

from . import charts


@dataclass
class Chart:
    """One dashboard chart: a title, its columns, its rows, and which numeric columns the bars show."""

    key: str
    title: str
    columns: list[str]
    rows: list[list]
    series: list[int]  # indexes of the plotted columns; column 0 labels the bars
    unit: str = ""
    note: str = ""
    svg: str = field(default="", repr=False)


@dataclass(frozen=True)
class Filters:
    """What the user asked for, already narrowed to what they may see."""

    department: Department | None
    date_from: datetime.date
    date_to: datetime.date


def _month(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime.datetime):
        value = value.date()
    return f"{value:%Y-%m}"


def _scoped(queryset: QuerySet, *, user, filters: Filters, field: str = "department") -> QuerySet:
    queryset = access.scope_to_department(queryset, user, field=field)
    if filters.department is not None:
        queryset = queryset.filter(**{field: filters.department})
    return queryset


def _records(model, *, user, filters: Filters) -> QuerySet:
    return _scoped(model.objects.all(), user=user, filters=filters).filter(
        decision_date__gte=filters.date_from, decision_date__lte=filters.date_to, is_publishable=True
    )


def _rate(on_time: int, decided: int) -> float | None:
    return round(100 * on_time / decided, 1) if decided else None


def compliance_by_department(*, user, filters: Filters) -> Chart:
    """合规率 per department: on-time share of records that fell due (DOMAIN §4); one grouped query per kind."""
    totals: dict[str, list[int]] = {}
    for model in (Licensing, Penalty):
        rows = (
            _records(model, user=user, filters=filters)
            .exclude(status=RecordStatus.WITHDRAWN, published_at__isnull=True)
            .values("department__name")
            .annotate(
                on_time=Count("pk", filter=Q(timeliness=Timeliness.ON_TIME)),
                late=Count("pk", filter=Q(timeliness=Timeliness.LATE)),
                overdue=Count("pk", filter=Q(timeliness=Timeliness.OVERDUE)),
            )
            .order_by()
        )
        for row in rows:
            counts = totals.setdefault(row["department__name"], [0, 0, 0])
            counts[0] += row["on_time"]
            counts[1] += row["late"]
            counts[2] += row["overdue"]
    rows = [
        [name, on_time, late, overdue, _rate(on_time, on_time + late + overdue)]
        for name, (on_time, late, overdue) in sorted(totals.items())
    ]
    return Chart(
        key="compliance",
        title=str(_("各部门报送合规率")),
        columns=[str(_("部门")), str(_("按时公示")), str(_("迟报")), str(_("逾期未公示")), str(_("合规率（%）"))],
        rows=rows,
        series=[4],
        unit="%",
        note=str(_("合规率 = 按时公示 ÷（按时 + 迟报 + 逾期），按决定日期统计。")),
    )


def compliance_by_month(*, user, filters: Filters) -> Chart:
    """合规率 per month of the decision date, both kinds together; one grouped query per kind."""
    totals: dict[str, list[int]] = {}
    for model in (Licensing, Penalty):
        rows = (
            _records(model, user=user, filters=filters)
            .exclude(status=RecordStatus.WITHDRAWN, published_at__isnull=True)
            .annotate(month=TruncMonth("decision_date"))
            .values("month")
            .annotate(
                on_time=Count("pk", filter=Q(timeliness=Timeliness.ON_TIME)),
                decided=Count(
                    "pk", filter=Q(timeliness__in=[Timeliness.ON_TIME, Timeliness.LATE, Timeliness.OVERDUE])
                ),
            )
            .order_by()
        )
        for row in rows:
            counts = totals.setdefault(_month(row["month"]), [0, 0])
            counts[0] += row["on_time"]
            counts[1] += row["decided"]
    rows = [[month, on_time, decided, _rate(on_time, decided)] for month, (on_time, decided) in sorted(totals.items())]
    return Chart(
        key="compliance-monthly",
        title=str(_("按月报送合规率")),
        columns=[str(_("月份")), str(_("按时公示")), str(_("应公示")), str(_("合规率（%）"))],
        rows=rows,
        series=[3],
        unit="%",
    )


def overdue_records(*, user, filters: Filters) -> Chart:
    """Unpublished records past their deadline per department and kind (DOMAIN §4)."""
    counts: dict[str, list[int]] = {}
    for index, model in enumerate((Licensing, Penalty)):
        rows = (
            _records(model, user=user, filters=filters)
            .filter(status=RecordStatus.DRAFT, timeliness=Timeliness.OVERDUE)
            .values("department__name")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in rows:
            counts.setdefault(row["department__name"], [0, 0])[index] = row["n"]
    return Chart(
        key="overdue",
        title=str(_("逾期未公示记录")),
        columns=[str(_("部门")), str(_("行政许可")), str(_("行政处罚"))],
        rows=[[name, *values] for name, values in sorted(counts.items())],
        series=[1, 2],
    )


def publication_volume(*, user, filters: Filters) -> Chart:
    """Records published per month and kind."""
    counts: dict[str, list[int]] = {}
    for index, model in enumerate((Licensing, Penalty)):
        rows = (
            _scoped(model.objects.all(), user=user, filters=filters)
            .filter(published_at__date__gte=filters.date_from, published_at__date__lte=filters.date_to)
            .annotate(month=TruncMonth("published_at"))
            .values("month")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in rows:
            counts.setdefault(_month(row["month"]), [0, 0])[index] = row["n"]
    return Chart(
        key="publication",
        title=str(_("公示数量（按月）")),
        columns=[str(_("月份")), str(_("行政许可")), str(_("行政处罚"))],
        rows=[[month, *values] for month, values in sorted(counts.items())],
        series=[1, 2],
    )


def list_entries_by_type(*, user, filters: Filters) -> Chart:
    """Published red and black list entries per list type, decided in the period (DOMAIN §6)."""
    rows = (
        _scoped(ListEntry.objects.all(), user=user, filters=filters)
        .filter(status=EntryStatus.PUBLISHED, decision_date__gte=filters.date_from, decision_date__lte=filters.date_to)
        .values("list_type__name", "list_type__color")
        .annotate(n=Count("pk"))
        .order_by("list_type__color", "list_type__name")
    )
    return Chart(
        key="list-entries",
        title=str(_("红黑名单（按名单类型）")),
        columns=[str(_("名单类型")), str(_("红/黑")), str(_("已公开"))],
        rows=[[row["list_type__name"], str(ListColor(row["list_type__color"]).label), row["n"]] for row in rows],
        series=[2],
    )


def credit_checks(*, user, filters: Filters) -> Chart:
    """Credit checks per month: checks, subjects checked, subjects with hits (DOMAIN §7)."""
    rows = (
        _scoped(CreditCheck.objects.all(), user=user, filters=filters)
        .filter(at__date__gte=filters.date_from, at__date__lte=filters.date_to)
        .annotate(month=TruncMonth("at"))
        .values("month")
        .annotate(checks=Count("pk"), subjects=Sum("subject_count"), hits=Sum("hit_count"))
        .order_by("month")
    )
    return Chart(
        key="credit-checks",
        title=str(_("信用核查（按月）")),
        columns=[str(_("月份")), str(_("核查次数")), str(_("核查主体数")), str(_("命中主体数"))],
        rows=[[_month(row["month"]), row["checks"], row["subjects"] or 0, row["hits"] or 0] for row in rows],
        series=[1, 3],
    )


def measure_feedback(*, user, filters: Filters) -> Chart:
    """联合奖惩 feedback per department: measures applied and not applied (DOMAIN §7)."""
    rows = (
        _scoped(MeasureFeedback.objects.all(), user=user, filters=filters, field="item__check_record__department")
        .filter(at__date__gte=filters.date_from, at__date__lte=filters.date_to)
        .values("item__check_record__department__name")
        .annotate(
            applied=Count("pk", filter=Q(outcome=FeedbackOutcome.APPLIED)),
            not_applied=Count("pk", filter=Q(outcome=FeedbackOutcome.NOT_APPLIED)),
        )
        .order_by("item__check_record__department__name")
    )
    return Chart(
        key="feedback",
        title=str(_("联合奖惩措施实施反馈")),
        columns=[str(_("部门")), str(_("已实施")), str(_("未实施"))],
        rows=[[row["item__check_record__department__name"], row["applied"], row["not_applied"]] for row in rows],
        series=[1, 2],
    )


def handling_times(*, user, filters: Filters) -> Chart:
    """Repairs and objections closed in the period: count, average and longest handling time in working days."""
    rows = (
        _scoped(Application.objects.all(), user=user, filters=filters)
        .filter(decided_on__isnull=False, decided_on__gte=filters.date_from, decided_on__lte=filters.date_to)
        .values("kind")
        .annotate(
            closed=Count("pk"),
            average=Avg("handling_working_days"),
            longest=Max("handling_working_days"),
            late=Count("pk", filter=Q(is_within_limit=False)),
        )
        .order_by()
    )
    stats = {row["kind"]: row for row in rows}
    result = []
    for kind in ApplicationKind:
        row = stats.get(kind.value, {})
        average = row.get("average")
        result.append(
            [
                str(kind.label),
                row.get("closed", 0),
                round(float(average), 1) if average is not None else 0,
                row.get("longest") or 0,
                row.get("late", 0),
            ]
        )
    return Chart(
        key="handling-times",
        title=str(_("信用修复与异议办理用时")),
        columns=[
            str(_("类型")),
            str(_("办结件数")),
            str(_("平均用时（工作日）")),
            str(_("最长用时（工作日）")),
            str(_("超时办结")),
        ],
        rows=result,
        series=[2, 3],
    )


def complaints(*, user, filters: Filters) -> Chart:
    """Complaints filed in the period per status, with how many ran past their handling deadline."""
    rows = (
        _scoped(Complaint.objects.all(), user=user, filters=filters)
        .filter(filed_at__date__gte=filters.date_from, filed_at__date__lte=filters.date_to)
        .values("status")
        .annotate(n=Count("pk"), overdue=Count("pk", filter=Q(is_overdue=True)))
        .order_by("status")
    )
    counts = {row["status"]: (row["n"], row["overdue"]) for row in rows}
    return Chart(
        key="complaints",
        title=str(_("诚信建设投诉举报")),
        columns=[str(_("状态")), str(_("件数")), str(_("其中超期"))],
        rows=[[str(status.label), *counts.get(status.value, (0, 0))] for status in ComplaintStatus],
        series=[1, 2],
    )


CHARTS: dict[str, Callable[..., Chart]] = {
    "compliance": compliance_by_department,
    "compliance-monthly": compliance_by_month,
    "overdue": overdue_records,
    "publication": publication_volume,
    "list-entries": list_entries_by_type,
    "credit-checks": credit_checks,
    "feedback": measure_feedback,
    "handling-times": handling_times,
    "complaints": complaints,
}


def build_chart(key: str, *, user, filters: Filters) -> Chart:
    """One chart with its SVG drawn."""
    chart = CHARTS[key](user=user, filters=filters)
    chart.svg = charts.bar_chart(chart)
    return chart


def build_all(*, user, filters: Filters) -> list[Chart]:
    """Every chart of the dashboard, in page order."""
    return [build_chart(key, user=user, filters=filters) for key in CHARTS]
