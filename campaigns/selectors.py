"""Every non-trivial read of the campaigns app, with its joins (STYLE §2.6)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from registry.models import User

from .choices import ComplaintStatus, TaskStatus
from .models import (
    PUBLIC_COMPLAINT_FIELDS,
    ActionDepartment,
    ActionReport,
    Campaign,
    CampaignPost,
    Complaint,
    CreditTalk,
    LedgerTask,
    RoleModel,
    SpecialAction,
    StarMerchant,
    TaskDepartment,
    TaskReport,
)


def public_campaigns() -> QuerySet[Campaign]:
    """Published campaigns with their organiser and participating units."""
    return (
        Campaign.objects.public()
        .select_related("organiser")
        .prefetch_related("participating_departments")
        .defer("created_by")
    )


def public_campaign(*, pk: int) -> Campaign:
    """One published campaign with its posts, materials and activities."""
    return (
        public_campaigns()
        .prefetch_related(
            Prefetch("posts", queryset=CampaignPost.objects.order_by("-posted_on", "-pk").defer("author")),
            "materials",
            "activities__department",
        )
        .get(pk=pk)
    )


def campaigns_for_staff(*, user: User) -> QuerySet[Campaign]:
    return Campaign.objects.visible_to(user).select_related("organiser").prefetch_related("participating_departments")


def _with_departments(queryset: QuerySet, through: type) -> QuerySet:
    return queryset.prefetch_related(
        Prefetch("assignments", queryset=through.objects.select_related("department").order_by("role", "pk"))
    )


def public_special_actions() -> QuerySet[SpecialAction]:
    """The special actions with their lead and participating units, for the public page."""
    return _with_departments(SpecialAction.objects.public(), ActionDepartment)


def special_actions_for_staff(*, user: User, period: date | None = None) -> QuerySet[SpecialAction]:
    """The actions the user may see, with units and how many units have reported for the month."""
    period = (period or timezone.localdate()).replace(day=1)
    return _with_departments(SpecialAction.objects.visible_to(user).order_by("number"), ActionDepartment).annotate(
        unit_count=Count("assignments", distinct=True),
        reported_count=Count("reports", filter=Q(reports__period=period), distinct=True),
    )


def action_reports_for_staff(*, user: User) -> QuerySet[ActionReport]:
    return ActionReport.objects.visible_to(user).select_related("action", "department", "submitted_by")


def missing_action_reports(*, period: date) -> QuerySet[ActionDepartment]:
    """(action, unit) pairs without a progress report for the month: what the office chases (seed 001 §七.3)."""
    period = period.replace(day=1)
    reported = ActionReport.objects.filter(action=OuterRef("action"), department=OuterRef("department"), period=period)
    return (
        ActionDepartment.objects.filter(~Exists(reported))
        .select_related("action", "department")
        .order_by("department__name", "action__number")
    )


def ledger_for_staff(*, user: User) -> QuerySet[LedgerTask]:
    """The ledger tasks the user may see, with their units and report count."""
    return _with_departments(LedgerTask.objects.visible_to(user).order_by("number"), TaskDepartment).annotate(
        report_count=Count("reports", distinct=True)
    )


def task_reports_for_staff(*, user: User, task: LedgerTask | None = None) -> QuerySet[TaskReport]:
    reports = TaskReport.objects.visible_to(user).select_related("task", "department", "reported_by")
    return reports.filter(task=task) if task is not None else reports


def public_role_models() -> QuerySet[RoleModel]:
    """Published role models; the linked subject's personal columns are never read (DOMAIN §10)."""
    return RoleModel.objects.public().only(
        "id", "kind", "name", "honour", "awarded_on", "awarding_body", "story", "red_list_reference"
    )


def public_star_merchants() -> QuerySet[StarMerchant]:
    """Each merchant's latest yearly rating: an older year's stars are history, not the current rating."""
    newer = StarMerchant.objects.public().filter(name=OuterRef("name"), review_year__gt=OuterRef("review_year"))
    return (
        StarMerchant.objects.public()
        .filter(~Exists(newer))
        .only("id", "name", "address", "trade", "stars", "review_year", "awarding_body")
    )


def complaints_for_staff(*, user: User) -> QuerySet[Complaint]:
    return Complaint.objects.visible_to(user).select_related("department").prefetch_related("evidence")


def complaint_by_tracking_number(*, tracking_number: str) -> Complaint | None:
    """What the public sees of a complaint: status, department, deadline and answer, no complainant data."""
    number = (tracking_number or "").strip().upper()
    if not number:
        return None
    return (
        Complaint.objects.select_related("department")
        .only(*PUBLIC_COMPLAINT_FIELDS)
        .filter(tracking_number=number)
        .first()
    )


def credit_talks_for_staff(*, user: User) -> QuerySet[CreditTalk]:
    return (
        CreditTalk.objects.visible_to(user)
        .select_related("department", "subject", "recorded_by")
        .prefetch_related("departments_present")
    )


@dataclass(frozen=True)
class MonthlySummary:
    """The monthly figures for the civilisation office (区文明办)."""

    period: date
    reports_expected: int
    reports_received: int
    missing: list[ActionDepartment]
    tasks_overdue: list[LedgerTask]
    complaints_received: int
    complaints_answered: int
    complaints_answered_in_time: int
    complaints_overdue: int


def monthly_summary(*, period: date) -> MonthlySummary:
    """Reports received and missing, overdue tasks and complaints handled in time, for one month."""
    period = period.replace(day=1)
    next_month = (period.replace(day=28) + timedelta(days=4)).replace(day=1)
    expected = ActionDepartment.objects.count()
    received = ActionReport.objects.filter(period=period).values("action", "department").distinct().count()
    in_month = Q(answered_at__date__gte=period, answered_at__date__lt=next_month)
    answered = Complaint.objects.filter(in_month, status=ComplaintStatus.ANSWERED)
    return MonthlySummary(
        period=period,
        reports_expected=expected,
        reports_received=received,
        missing=list(missing_action_reports(period=period)),
        tasks_overdue=list(
            _with_departments(LedgerTask.objects.filter(is_overdue=True), TaskDepartment).exclude(
                status=TaskStatus.COMPLETED
            )
        ),
        complaints_received=Complaint.objects.filter(
            filed_at__date__gte=period, filed_at__date__lt=next_month
        ).count(),
        complaints_answered=answered.count(),
        complaints_answered_in_time=answered.filter(answered_at__date__lte=F("due_date")).count(),
        complaints_overdue=Complaint.objects.filter(status=ComplaintStatus.ASSIGNED, is_overdue=True).count(),
    )


def staff_home_blocks(*, user: User, today: date) -> list[dict]:
    """The campaigns block of /staff/: what waits for this user (url-names.md, "Staff home blocks")."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from credit_portal import access

    period = today.replace(day=1)
    complaints = Complaint.objects.visible_to(user)
    missing = missing_action_reports(period=period)
    if access.sees_all_departments(user):
        items = [
            {
                "label": _("待分办投诉"),
                "count": complaints.filter(status=ComplaintStatus.RECEIVED).count(),
                "url": reverse("campaigns-staff-complaints") + "?status=received",
            },
            {
                "label": _("超期投诉"),
                "count": complaints.filter(is_overdue=True, status=ComplaintStatus.ASSIGNED).count(),
                "url": reverse("campaigns-staff-complaints") + "?overdue=1",
            },
        ]
    else:
        missing = missing.filter(department=user.department_id)
        items = [
            {
                "label": _("待办理投诉"),
                "count": complaints.filter(status=ComplaintStatus.ASSIGNED).count(),
                "url": reverse("campaigns-staff-complaints") + "?status=assigned",
            }
        ]
    items += [
        {"label": _("本月未报专项治理进展"), "count": missing.count(), "url": reverse("campaigns-staff-actions")},
        {
            "label": _("逾期台账任务"),
            "count": LedgerTask.objects.visible_to(user).filter(is_overdue=True).count(),
            "url": reverse("campaigns-staff-tasks") + "?overdue=1",
        },
    ]
    return [{"title": _("诚信建设"), "items": items, "roles": ["clerk", "reviewer", "admin"]}]
