"""Every write of the campaigns app: one function per state change, each in one transaction (STYLE §2.3)."""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from credit_portal import access, audit, notifications
from credit_portal.errors import NotFound
from credit_portal.workdays import services as workdays
from registry.models import Department, Subject, User

from . import seeds, selectors, transitions
from .choices import ComplaintStatus, DepartmentRole, PublicationStatus, TalkOutcome, TaskStatus
from .errors import AnswerRequired, DepartmentRequired, NoComplaintPolicy, NotResponsible
from .models import (
    ActionDepartment,
    ActionReport,
    Campaign,
    CampaignActivity,
    CampaignPost,
    Complaint,
    ComplaintEvidence,
    ComplaintPolicy,
    CreditTalk,
    LedgerTask,
    SpecialAction,
    StarMerchant,
    TaskDepartment,
    TaskReport,
)
from .sanitize import sanitise_html


def month_start(day: date) -> date:
    """The first day of the day's month: monthly reports are keyed by it."""
    return day.replace(day=1)


def previous_month(day: date) -> date:
    """The first day of the month before the day's month."""
    first = month_start(day)
    return month_start(first - timedelta(days=1))


def _department_user_ids(department_ids: Iterable[int]) -> dict[int, list[int]]:
    """Active staff of each department, in one query."""
    users: dict[int, list[int]] = defaultdict(list)
    rows = User.objects.filter(department_id__in=set(department_ids), is_active=True).values_list(
        "department_id", "pk"
    )
    for department_id, user_id in rows:
        users[department_id].append(user_id)
    return users


# --- Seed departments ---------------------------------------------------------------------------------------------
@transaction.atomic
def link_seed_departments(*, create_missing: bool = False, region_code: str = "") -> int:
    """Link the seeded actions and tasks to departments by name; optionally create the units that are missing."""
    from registry import codes

    if create_missing:
        region = region_code or settings.PORTAL_REGION_CODE
        existing = {
            seeds.canonical_department_name(name) for name in Department.objects.values_list("name", flat=True)
        }
        taken = set(Department.objects.values_list("uscc", flat=True))
        rng = secrets.SystemRandom()
        alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
        for name in seeds.all_department_names():
            if name in existing:
                continue
            while True:  # 机构编制 / 机关 codes (pos 1-2 "11") of the district's region
                first_17 = "11" + region + "".join(rng.choice(alphabet) for _ in range(9))
                uscc = first_17 + codes.check_digit(first_17)
                if uscc not in taken:
                    break
            taken.add(uscc)
            Department.objects.create(name=name, uscc=uscc, region_code=region)
    by_name: dict[str, int] = {}
    for pk, name, short_name in Department.objects.values_list("pk", "name", "short_name"):
        by_name.setdefault(seeds.canonical_department_name(name), pk)
        if short_name:
            by_name.setdefault(seeds.canonical_department_name(short_name), pk)

    def rows(items, model, owner_field):
        for item in items:
            for role, names in (
                (DepartmentRole.LEAD, item.lead_names),
                (DepartmentRole.PARTICIPANT, item.participant_names),
            ):
                for name in names:
                    pk = by_name.get(seeds.canonical_department_name(name))
                    if pk:
                        yield model(**{owner_field: item, "department_id": pk, "role": role})

    created = ActionDepartment.objects.bulk_create(
        list(rows(SpecialAction.objects.all(), ActionDepartment, "action")), ignore_conflicts=True
    )
    created += TaskDepartment.objects.bulk_create(
        list(rows(LedgerTask.objects.all(), TaskDepartment, "task")), ignore_conflicts=True
    )
    return len(created)


# --- Publicity campaigns ----------------------------------------------------------------------------------------
@transaction.atomic
def create_campaign(
    *,
    by: User,
    title: str,
    start_date: date,
    end_date: date,
    organiser: Department | None = None,
    participating_departments: Iterable[Department] = (),
    **fields: Any,
) -> Campaign:
    """Create a draft campaign; a clerk organises it for their own department."""
    organiser = organiser or by.department
    if organiser is None:
        raise DepartmentRequired(_("请选择组织单位。"), field="organiser")
    if not access.sees_all_departments(by):
        access.require_department(by, organiser)
    campaign = Campaign(
        title=title, start_date=start_date, end_date=end_date, organiser=organiser, created_by=by, **fields
    )
    campaign.full_clean()
    campaign.save()
    campaign.participating_departments.set(list(participating_departments))
    audit.record(campaign, action="campaign_created", by=by)
    return campaign


@transaction.atomic
def publish_campaign(*, campaign: Campaign, by: User) -> Campaign:
    """Show a campaign on the public pages."""
    campaign = _campaign_for_update(campaign, by)
    transitions.move(campaign, PublicationStatus.PUBLISHED)
    campaign.published_at = timezone.now()
    campaign.save(update_fields=["status", "published_at", "updated_at"])
    audit.record(campaign, action="campaign_published", by=by)
    return campaign


@transaction.atomic
def unpublish_campaign(*, campaign: Campaign, by: User) -> Campaign:
    """Take a campaign off the public pages."""
    campaign = _campaign_for_update(campaign, by)
    transitions.move(campaign, PublicationStatus.UNPUBLISHED)
    campaign.save(update_fields=["status", "updated_at"])
    audit.record(campaign, action="campaign_unpublished", by=by)
    return campaign


def _campaign_for_update(campaign: Campaign, by: User) -> Campaign:
    """The campaign locked for a change by its organiser (a participating department only reports activities)."""
    found = Campaign.objects.visible_to(by).select_for_update().filter(pk=campaign.pk).first()
    if found is None:
        raise NotFound()
    if not access.sees_all_departments(by):
        access.require_department(by, found.organiser)
    return found


@transaction.atomic
def add_campaign_post(*, by: User, campaign: Campaign, title: str, body: str, posted_on: date) -> CampaignPost:
    """Add a news post to a campaign; the rich text is sanitised before it is stored."""
    campaign = _campaign_for_update(campaign, by)
    post = CampaignPost(campaign=campaign, title=title, body=sanitise_html(body), posted_on=posted_on, author=by)
    post.full_clean()
    post.save()
    audit.record(post, action="campaign_post_added", by=by)
    return post


@transaction.atomic
def report_campaign_activity(
    *, by: User, campaign: Campaign, held_on: date, title: str, **fields: Any
) -> CampaignActivity:
    """Report an activity held under a campaign by the reporter's department."""
    department = by.department
    if department is None:
        raise DepartmentRequired(_("只有部门填报员可以报送活动开展情况。"))
    # Organiser or participating department: the campaigns the reporter's department can see (STYLE §2.5).
    campaign = Campaign.objects.visible_to(by).filter(pk=campaign.pk).first()
    if campaign is None:
        raise NotFound()
    activity = CampaignActivity(
        campaign=campaign, department=department, held_on=held_on, title=title, reported_by=by, **fields
    )
    activity.full_clean()
    activity.save()
    audit.record(activity, action="campaign_activity_reported", by=by)
    return activity


# --- Special actions ---------------------------------------------------------------------------------------------
@transaction.atomic
def submit_action_report(
    *,
    by: User,
    action: SpecialAction,
    period: date,
    text: str,
    figures: dict | None = None,
    attachment: UploadedFile | None = None,
) -> ActionReport:
    """File the reporter's department's monthly progress on a special action it leads or joins (seed 001 §七.3)."""
    action = SpecialAction.objects.visible_to(by).filter(pk=action.pk).first()
    if action is None:
        raise NotFound()  # outside the clerk's actions: the same answer as a missing one (STYLE §2.5)
    department = by.department
    if department is None or not ActionDepartment.objects.filter(action=action, department=department).exists():
        raise NotResponsible()
    report = ActionReport(
        action=action,
        department=department,
        period=month_start(period),
        text=text,
        figures=figures or {},
        submitted_by=by,
    )
    if attachment is not None:
        report.attachment = attachment
    report.full_clean()
    report.save()
    audit.record(report, action="action_report_submitted", by=by)
    return report


def remind_missing_action_reports(*, today: date) -> int:
    """Tell each unit, once, which actions it has not reported on for last month once the due day has passed."""
    due_day = settings.CAMPAIGNS_ACTION_REPORT_DUE_DAY
    if today.day <= due_day:
        return 0
    period = previous_month(today)
    missing = list(selectors.missing_action_reports(period=period).values_list("department_id", "action__number"))
    if not missing:
        return 0
    by_department: dict[int, list[int]] = defaultdict(list)
    for department_id, number in missing:
        by_department[department_id].append(number)
    users = _department_user_ids(by_department)
    sent = 0
    for department_id, numbers in by_department.items():
        message = _("%(month)s 专项治理进展尚未报送（序号：%(numbers)s），请尽快报送区文明办。") % {
            "month": f"{period:%Y-%m}",
            "numbers": pgettext("list separator", "、").join(str(number) for number in sorted(numbers)),
        }
        sent += notifications.notify_users(
            users.get(department_id, []),
            kind="campaigns.action_report_missing",
            message=message,
            link="/staff/campaigns/actions/",
            dedupe_key=f"action-report:{period:%Y-%m}:{department_id}",
        )
    return sent


# --- Task ledger --------------------------------------------------------------------------------------------------
@transaction.atomic
def report_task_progress(*, by: User, task: LedgerTask, text: str, status: str) -> TaskReport:
    """A responsible unit reports progress on a ledger task and moves its status (seed 004)."""
    task = LedgerTask.objects.visible_to(by).select_for_update().filter(pk=task.pk).first()
    if task is None:
        raise NotFound()
    department = by.department
    if department is None or not TaskDepartment.objects.filter(task=task, department=department).exists():
        raise NotResponsible()
    transitions.move(task, TaskStatus(status))
    if task.status == TaskStatus.COMPLETED:
        task.completed_on = timezone.localdate()
        task.is_overdue = False
    task.save(update_fields=["status", "completed_on", "is_overdue", "updated_at"])
    report = TaskReport(task=task, department=department, text=text, status=status, reported_by=by)
    report.full_clean()
    report.save()
    audit.record(report, action="task_progress_reported", by=by, detail={"status": status})
    return report


@transaction.atomic
def set_task_deadline(*, by: User, task: LedgerTask, deadline_date: date | None) -> LedgerTask:
    """The office sets a task's deadline, or marks it 长期坚持 with ``None``."""
    access.require_role(by, access.Role.REVIEWER, access.Role.ADMIN)
    task = LedgerTask.objects.select_for_update().get(pk=task.pk)
    task.deadline_date = deadline_date
    task.is_long_term = deadline_date is None
    task.is_overdue = bool(
        deadline_date and deadline_date < timezone.localdate() and task.status != TaskStatus.COMPLETED
    )
    task.full_clean()
    task.save(update_fields=["deadline_date", "is_long_term", "is_overdue", "updated_at"])
    audit.record(task, action="task_deadline_set", by=by, detail={"deadline_date": str(deadline_date or "")})
    return task


def flag_overdue_tasks(*, today: date) -> int:
    """Flag tasks past their deadline and not completed, and tell their units once (set-based, STYLE §2.7)."""
    due = LedgerTask.objects.filter(is_long_term=False, deadline_date__lt=today, is_overdue=False).exclude(
        status=TaskStatus.COMPLETED
    )
    with transaction.atomic():
        ids = list(due.select_for_update().values_list("pk", flat=True))
        if not ids:
            return 0
        LedgerTask.objects.filter(pk__in=ids).update(is_overdue=True, updated_at=timezone.now())
        audit.record_many(LedgerTask, ids, action="task_overdue")
        pairs = list(TaskDepartment.objects.filter(task_id__in=ids).values_list("task__number", "department_id"))
        users = _department_user_ids(department_id for _number, department_id in pairs)
        rows = [(user_id, number) for number, department_id in pairs for user_id in users.get(department_id, [])]
        _notify_each(
            rows,
            kind="campaigns.task_overdue",
            message=_("工作台账第 %(number)s 项任务已超过完成时限，请尽快推进并报送进展。"),
            link="/staff/campaigns/tasks/",
            prefix="task-overdue",
        )
    return len(ids)


def _notify_each(rows: list[tuple[int, Any]], *, kind: str, message: Any, link: str, prefix: str) -> None:
    """One notification per (user, object), deduplicated by ``prefix:number``, in one INSERT."""
    from credit_portal.models import Notification

    Notification.objects.bulk_create(
        [
            Notification(
                user_id=user_id,
                kind=kind,
                message=str(message % {"number": number}),
                link=link,
                dedupe_key=f"{prefix}:{number}",
            )
            for user_id, number in rows
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )


# --- Star-rated merchants -----------------------------------------------------------------------------------------
@transaction.atomic
def review_star_merchant(*, by: User, merchant: StarMerchant, year: int, stars: int) -> StarMerchant:
    """Record a merchant's yearly review as a new year's rating; earlier years stay as history (seed 002)."""
    access.require_role(by, access.Role.REVIEWER, access.Role.ADMIN)
    review = StarMerchant(
        name=merchant.name,
        subject_id=merchant.subject_id,
        address=merchant.address,
        trade=merchant.trade,
        stars=stars,
        review_year=year,
        awarding_body=merchant.awarding_body,
        is_published=merchant.is_published,
    )
    review.full_clean()
    review.save()
    audit.record(review, action="star_merchant_reviewed", by=by, detail={"stars": stars, "year": year})
    return review


# --- Complaints ---------------------------------------------------------------------------------------------------
def new_tracking_number(today: date) -> str:
    """TS + date + 8 random characters: unguessable, so the number alone may show the outcome."""
    alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
    return f"TS{today:%Y%m%d}" + "".join(secrets.choice(alphabet) for _ in range(8))


@transaction.atomic
def file_complaint(
    *,
    kind: str,
    accused_name: str,
    facts: str,
    accused_uscc: str = "",
    is_anonymous: bool = False,
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    evidence: Iterable[UploadedFile] = (),
    request=None,
) -> Complaint:
    """The public files a complaint without an account and gets a tracking number (DOMAIN §1, §9)."""
    if is_anonymous:  # collect nothing that no rule asks for (DOMAIN §10)
        contact_name = ""
    complaint = Complaint(
        tracking_number=new_tracking_number(timezone.localdate()),
        kind=kind,
        accused_name=accused_name.strip(),
        accused_uscc=accused_uscc.strip().upper(),
        facts=facts,
        is_anonymous=is_anonymous,
        contact_name=contact_name.strip(),
        contact_phone=contact_phone.strip(),
        contact_email=contact_email.strip(),
    )
    complaint.full_clean(exclude=["filed_at"])
    complaint.save()
    for upload in evidence:
        item = ComplaintEvidence(complaint=complaint, file=upload)
        item.full_clean(exclude=["complaint"])
        item.save()
    # The audit row names the complaint only: the complainant's details stay out of logs (DOMAIN §10).
    audit.record(complaint, action="complaint_filed", request=request)
    return complaint


def complaint_policy(on: date) -> ComplaintPolicy:
    """The handling-time policy in force on a day."""
    policy = ComplaintPolicy.objects.filter(effective_from__lte=on).order_by("-effective_from").first()
    if policy is None:
        raise NoComplaintPolicy()
    return policy


@transaction.atomic
def assign_complaint(
    *, by: User, complaint: Complaint, department: Department | None, today: date | None = None
) -> Complaint:
    """The credit office routes a complaint to a department and starts its handling deadline in working days."""
    access.require_role(by, access.Role.REVIEWER, access.Role.ADMIN)
    if department is None:
        raise DepartmentRequired(field="department")
    complaint = Complaint.objects.visible_to(by).select_for_update().get(pk=complaint.pk)
    transitions.move(complaint, ComplaintStatus.ASSIGNED)
    now = timezone.now()
    today = today or timezone.localdate(now)
    # DOMAIN §4: the day of assignment is not counted; the number of days is data (ComplaintPolicy).
    due = workdays.add_working_days(today, complaint_policy(today).handling_working_days)
    complaint.department = department
    complaint.assigned_at = now
    complaint.assigned_by = by
    complaint.due_date = due.date
    complaint.is_due_date_provisional = due.provisional
    complaint.is_overdue = False
    complaint.save(
        update_fields=[
            "status",
            "department",
            "assigned_at",
            "assigned_by",
            "due_date",
            "is_due_date_provisional",
            "is_overdue",
            "updated_at",
        ]
    )
    audit.record(complaint, action="complaint_assigned", by=by, detail={"department": department.pk})
    users = _department_user_ids([department.pk]).get(department.pk, [])
    message = _("收到转办投诉 %(number)s，请于 %(due)s 前办结并答复。") % {
        "number": complaint.tracking_number,
        "due": f"{due.date:%Y-%m-%d}",
    }
    # In-portal notifications are rows of this database: written in the same transaction as the change.
    notifications.notify_users(
        users,
        kind="campaigns.complaint_assigned",
        message=str(message),
        link=f"/staff/campaigns/complaints/{complaint.pk}/",
        dedupe_key=f"complaint-assigned:{complaint.pk}:{department.pk}",
    )
    return complaint


@transaction.atomic
def reject_complaint(*, by: User, complaint: Complaint, reason: str) -> Complaint:
    """The credit office declines a complaint outside its remit, with the reason the public will read."""
    access.require_role(by, access.Role.REVIEWER, access.Role.ADMIN)
    if not reason.strip():
        raise AnswerRequired(_("请填写不予受理的理由。"), field="reason")
    complaint = Complaint.objects.visible_to(by).select_for_update().get(pk=complaint.pk)
    transitions.move(complaint, ComplaintStatus.REJECTED)
    complaint.answer = reason.strip()
    complaint.answered_at = timezone.now()
    complaint.answered_by = by
    complaint.save(update_fields=["status", "answer", "answered_at", "answered_by", "updated_at"])
    audit.record(complaint, action="complaint_rejected", by=by)
    return complaint


@transaction.atomic
def answer_complaint(*, by: User, complaint: Complaint, answer: str) -> Complaint:
    """The assigned department answers a complaint; the public reads the answer by tracking number."""
    if not answer.strip():
        raise AnswerRequired(field="answer")
    found = Complaint.objects.visible_to(by).select_for_update().filter(pk=complaint.pk).first()
    if found is None:
        raise NotFound()
    complaint = found
    if complaint.department_id is not None:
        access.require_department(by, complaint.department)
    transitions.move(complaint, ComplaintStatus.ANSWERED)
    complaint.answer = answer.strip()
    complaint.answered_at = timezone.now()
    complaint.answered_by = by
    complaint.save(update_fields=["status", "answer", "answered_at", "answered_by", "updated_at"])
    audit.record(complaint, action="complaint_answered", by=by)
    return complaint


def flag_overdue_complaints(*, today: date) -> int:
    """Flag assigned complaints past their handling deadline and tell the department once (STYLE §2.7)."""
    due = Complaint.objects.filter(status=ComplaintStatus.ASSIGNED, due_date__lt=today, is_overdue=False)
    with transaction.atomic():
        rows = list(due.select_for_update().values_list("pk", "tracking_number", "department_id"))
        if not rows:
            return 0
        ids = [pk for pk, _number, _department in rows]
        Complaint.objects.filter(pk__in=ids).update(is_overdue=True, updated_at=timezone.now())
        audit.record_many(Complaint, ids, action="complaint_overdue")
        users = _department_user_ids(department_id for *_rest, department_id in rows)
        pairs = [(user_id, number) for _pk, number, department_id in rows for user_id in users.get(department_id, [])]
        _notify_each(
            pairs,
            kind="campaigns.complaint_overdue",
            message=_("投诉 %(number)s 已超过办理期限，请尽快办结并答复。"),
            link="/staff/campaigns/complaints/?overdue=1",
            prefix="complaint-overdue",
        )
    return len(ids)


# --- Credit talks -------------------------------------------------------------------------------------------------
@transaction.atomic
def record_credit_talk(
    *,
    by: User,
    subject: Subject,
    held_on: date,
    attendee: str,
    reason: str,
    rectification: str,
    rectification_deadline: date,
    departments_present: Iterable[Department] = (),
    department: Department | None = None,
) -> CreditTalk:
    """Record a credit talk (约谈) held by the recorder's department."""
    department = department or by.department
    if department is None:
        raise DepartmentRequired(_("请选择约谈单位。"), field="department")
    if not access.sees_all_departments(by):
        access.require_department(by, department)
    talk = CreditTalk(
        department=department,
        subject=subject,
        held_on=held_on,
        attendee=attendee,
        reason=reason,
        rectification=rectification,
        rectification_deadline=rectification_deadline,
        recorded_by=by,
    )
    talk.full_clean()
    talk.save()
    talk.departments_present.set(list(departments_present))
    audit.record(talk, action="credit_talk_recorded", by=by)
    return talk


@transaction.atomic
def follow_up_credit_talk(*, by: User, talk: CreditTalk, outcome: str, follow_up: str, on: date) -> CreditTalk:
    """Record whether the agreed rectification was done by its deadline."""
    found = CreditTalk.objects.visible_to(by).select_for_update().filter(pk=talk.pk).first()
    if found is None:
        raise NotFound()
    talk = found
    talk.outcome = TalkOutcome(outcome)
    talk.follow_up = follow_up
    talk.followed_up_on = on
    talk.full_clean()
    talk.save(update_fields=["outcome", "follow_up", "followed_up_on", "updated_at"])
    audit.record(talk, action="credit_talk_followed_up", by=by, detail={"outcome": outcome})
    return talk
