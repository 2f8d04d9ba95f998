"""Every write of repair and objections: one function per step, each in one transaction (STYLE §2.3; DOMAIN §8).

Each step locks the application through the user's scope, moves its status through ``transitions``, writes a
dated step (shown to the applicant), an audit row, and mails the applicant after the commit. Effects on records
and lists go through the disclosure and sanctions services, which write the outbox events (DOMAIN §12).
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_variables

from credit_portal import access, audit
from credit_portal.errors import DomainError, NotFound, ValidationFailed
from credit_portal.models import Notification
from credit_portal.workdays import services as workdays
from disclosure import services as disclosure_services
from registry.models import User
from sanctions import services as sanctions_services
from sanctions.choices import RemovalReason

from . import eligibility, policy, transitions, uploads
from .choices import (
    ApplicationKind,
    ApplicationStatus,
    ObjectionGround,
    ObjectionOutcome,
    TargetKind,
)
from .models import Application, ApplicationStep, Material

S = ApplicationStatus
TRACKING_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
TRACKING_PREFIX = {ApplicationKind.REPAIR: "R", ApplicationKind.OBJECTION: "Y"}


class RepairError(DomainError):
    code = "repair_error"


# --- helpers ---------------------------------------------------------------------------------------------------


def new_tracking_number(*, kind: str, today: datetime.date) -> str:
    """R/Y + date + daily sequence + 4 random characters: readable on the phone, unguessable (DOMAIN §8)."""
    prefix = f"{TRACKING_PREFIX[kind]}{today:%Y%m%d}"
    sequence = Application.objects.filter(tracking_number__startswith=prefix).count() + 1
    suffix = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(4))
    return f"{prefix}{sequence:05d}-{suffix}"


def _locked(application: Application, by: User | None) -> Application:
    """The application re-read under a row lock through the user's scope; outside it a 404 (STYLE §2.5)."""
    queryset = Application.objects.all() if by is None else Application.objects.visible_to(by)
    locked = queryset.select_for_update().filter(pk=application.pk).first()
    if locked is None:
        raise NotFound()
    return locked


def _require_reviewer(by: User) -> None:
    access.require_role(by, access.Role.REVIEWER, access.Role.ADMIN)


def _require_department_or_reviewer(by: User, application: Application) -> None:
    """The source department's clerks and the credit office may pause an objection for tests or experts."""
    if access.is_clerk(by):
        access.require_department(by, application.department)
    else:
        _require_reviewer(by)


def _require_reason(reason: str, field: str = "reason") -> str:
    text = (reason or "").strip()
    if not text:
        raise RepairError(_("请填写理由，理由将告知申请人。"), code="reason_required", field=field)
    return text


def _step(application: Application, *, action: str, by: User | None, note: str = "") -> ApplicationStep:
    return ApplicationStep.objects.create(
        application=application, status=application.status, action=action, by=by, note=note
    )


def _track_url() -> str:
    try:
        return reverse("repair-track")
    except Exception:  # noqa: BLE001 - the pages may be switched off; the mail still reads well without the link
        return ""


def _mail_applicant(application: Application, *, note: str = "") -> None:
    """Tell the applicant of a step by e-mail after the commit, in Chinese (DOMAIN §8)."""
    if not application.contact_email:
        return
    values = {
        "kind": ApplicationKind(application.kind).label,
        "number": application.tracking_number,
        "status": ApplicationStatus(application.status).label,
        "note": note,
        "url": _track_url(),
        "portal": settings.PORTAL_NAME,
    }
    subject = gettext("【%(portal)s】%(kind)s申请%(number)s：%(status)s") % values
    lines = [
        gettext("%(kind)s申请（查询编号 %(number)s）当前状态：%(status)s。") % values,
    ]
    if note:
        lines.append(gettext("说明：%(note)s") % values)
    if application.is_open and application.due_date:
        lines.append(gettext("办理期限：%(date)s。") % {"date": application.due_date.isoformat()})
    lines.append(gettext("请凭查询编号和联系方式在门户网站“进度查询”栏目查看办理进度%(url)s。") % values)
    transaction.on_commit(
        partial(send_mail, str(subject), "\n".join(str(line) for line in lines), None, [application.contact_email])
    )


def _reviewer_ids() -> list[int]:
    from django.contrib.auth.models import Group

    names = [access.GROUP_NAMES[access.Role.REVIEWER]]
    group = Group.objects.filter(name__in=names).first()
    if group is None:
        return []
    return list(group.user_set.filter(is_active=True).values_list("pk", flat=True))


def _clerk_ids(department_id: int) -> list[int]:
    return list(
        User.objects.filter(
            department_id=department_id, is_active=True, groups__name=access.GROUP_NAMES[access.Role.CLERK]
        ).values_list("pk", flat=True)
    )


def _notify_staff(
    user_ids: Sequence[int], *, kind: str, message: str, application: Application, key: str = ""
) -> None:
    link = reverse("repair-application", args=[application.pk])
    Notification.objects.bulk_create(
        [Notification(user_id=pk, kind=kind, message=str(message), link=link, dedupe_key=key) for pk in user_ids],
        ignore_conflicts=bool(key),
    )
    # Staff are mailed too where their account has an address (issue 6: notifications by e-mail to staff).
    addresses = list(User.objects.filter(pk__in=list(user_ids)).exclude(email="").values_list("email", flat=True))
    if addresses:
        subject = gettext("【%(portal)s】%(message)s") % {"portal": settings.PORTAL_NAME, "message": message}
        transaction.on_commit(partial(send_mail, str(subject)[:200], str(message), None, addresses))


def _shift(due: datetime.date | None, days: int) -> tuple[datetime.date | None, bool]:
    if due is None or days <= 0:
        return due, False
    result = workdays.add_working_days(due, days)
    return result.date, result.provisional


def _pause(application: Application, *, today: datetime.date, to: str) -> None:
    application.paused_from = application.status
    application.paused_on = today
    transitions.move(application, to)


def _resume(application: Application, *, today: datetime.date) -> None:
    """Back to where the clock stopped; the working days of the pause are added to the running limit."""
    back = application.paused_from
    paused_days = max(0, workdays.count_working_days(application.paused_on, today))
    transitions.move(application, back)
    if back == S.SUBMITTED:
        application.accept_due_date, provisional = _shift(application.accept_due_date, paused_days)
    else:
        application.decide_due_date, provisional = _shift(application.decide_due_date, paused_days)
    application.is_due_date_provisional = application.is_due_date_provisional or provisional
    application.paused_working_days += paused_days
    application.paused_on = None
    application.paused_from = ""
    application.is_overdue = False


PAUSE_FIELDS = [
    "status",
    "paused_on",
    "paused_from",
    "paused_working_days",
    "accept_due_date",
    "decide_due_date",
    "is_due_date_provisional",
    "is_overdue",
    "updated_at",
]


def _finish(
    application: Application, *, by: User, reason: str, today: datetime.date, limit: datetime.date | None
) -> None:
    """Record the decision and the handling time in working days, pauses not counted (statistics, DOMAIN §8)."""
    application.decided_on = today
    application.decided_by = by
    application.decision_reason = reason
    application.handling_working_days = max(
        0, workdays.count_working_days(application.submitted_on, today) - application.paused_working_days
    )
    application.is_within_limit = limit is None or today <= limit
    application.is_overdue = False


FINISH_FIELDS = [
    "status",
    "decided_on",
    "decided_by",
    "decision_reason",
    "handling_working_days",
    "is_within_limit",
    "is_overdue",
    "updated_at",
]


def _clear_mark(application: Application, *, by: User | None) -> None:
    if application.kind == ApplicationKind.OBJECTION and application.target_kind != TargetKind.LIST_ENTRY:
        disclosure_services.clear_objection(record=application.target, by=by)


# --- filing (public, no account) --------------------------------------------------------------------------------


@sensitive_variables("id_number", "identity")
@transaction.atomic
def file_application(
    *,
    kind: str,
    target_kind: str,
    document_number: str,
    subject_name: str,
    statement: str,
    contact_name: str,
    uscc: str = "",
    id_type: str = "01",
    id_number: str = "",
    ground: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    materials: Sequence[UploadedFile] = (),
    today: datetime.date | None = None,
    request=None,
) -> Application:
    """The public files a repair or objection application and gets a tracking number (DOMAIN §8)."""
    today = today or timezone.localdate()
    identity = eligibility.Identity(
        name=subject_name or "", uscc=uscc or "", id_type=id_type or "01", id_number=id_number or ""
    )
    errors = eligibility.check_identity_input(identity)
    if kind == ApplicationKind.OBJECTION and ground not in ObjectionGround.values:
        errors.append(DomainError(_("请选择异议事由。"), code="required", field="ground"))
    if not (statement or "").strip():
        errors.append(DomainError(_("请填写申请说明。"), code="required", field="statement"))
    if not (contact_phone or "").strip() and not (contact_email or "").strip():
        errors.append(
            DomainError(_("请至少填写联系电话或电子邮箱中的一项。"), code="contact_required", field="contact_phone")
        )
    if errors:
        raise ValidationFailed(errors)
    checked = uploads.check_uploads(materials)
    target = eligibility.find_target(target_kind=target_kind, document_number=document_number, identity=identity)
    eligibility.check(kind=kind, target_kind=target_kind, target=target, today=today)
    limits = policy.limits(kind, on=today)
    due = workdays.add_working_days(today, limits.accept_days)  # DOMAIN §4: the day of filing is not counted
    application = Application(
        tracking_number=new_tracking_number(kind=kind, today=today),
        kind=kind,
        target_kind=target_kind,
        subject=target.subject,
        department=target.department,
        ground=ground if kind == ApplicationKind.OBJECTION else "",
        statement=statement.strip(),
        contact_name=(contact_name or "").strip(),
        contact_phone=(contact_phone or "").strip(),
        contact_email=(contact_email or "").strip(),
        submitted_on=today,
        accept_due_date=due.date,
        is_due_date_provisional=due.provisional,
        **{target_kind: target},
    )
    try:
        application.full_clean(exclude=["subject", "department", "penalty", "licensing", "list_entry"])
    except Exception as error:  # ValidationError of a field (length, e-mail shape)
        from django.core.exceptions import ValidationError

        if not isinstance(error, ValidationError):
            raise
        raise ValidationFailed(
            [
                DomainError(message, code=item.code or "invalid", field=None if name == "__all__" else name)
                for name, items in error.error_dict.items()
                for item in items
                for message in item.messages
            ]
        ) from None
    application.save()
    _save_materials(application, checked, is_supplement=False)
    _step(application, action="submitted", by=None)
    # The audit row names the application only: the applicant's details stay out of logs (DOMAIN §10).
    audit.record(application, action="repair_application_filed", request=request, detail={"kind": kind})
    if kind == ApplicationKind.OBJECTION and target_kind != TargetKind.LIST_ENTRY:
        # DOMAIN §8: the record shows "异议处理中" at once, until the objection is closed.
        disclosure_services.mark_under_objection(record=target, by=None)
    _notify_staff(
        _reviewer_ids(),
        kind="repair_filed",
        message=_("新的%(kind)s申请 %(number)s，请在%(date)s前受理。")
        % {"kind": ApplicationKind(kind).label, "number": application.tracking_number, "date": due.date.isoformat()},
        application=application,
    )
    _mail_applicant(application, note=gettext("申请已提交，请妥善保存查询编号。"))
    return application


def _save_materials(
    application: Application, checked: Sequence[uploads.CheckedUpload], *, is_supplement: bool
) -> None:
    for item in checked:
        Material.objects.create(
            application=application,
            file=item.file,
            original_name=item.name,
            content_type=item.content_type,
            size=item.file.size,
            is_supplement=is_supplement,
        )


@transaction.atomic
def supplement_materials(
    *,
    application: Application,
    contact: str,
    materials: Sequence[UploadedFile],
    note: str = "",
    today: datetime.date | None = None,
) -> Application:
    """The applicant uploads the requested materials from the tracking page; the clock resumes (DOMAIN §8)."""
    application = _locked(application, None)
    if not application.matches_contact(contact):
        raise NotFound()
    if application.status != S.MATERIALS_REQUESTED:
        raise RepairError(_("该申请当前无需补充材料。"), code="materials_not_requested")
    if not [item for item in materials if item]:
        raise RepairError(_("请选择要上传的补充材料。"), code="required", field="materials")
    checked = uploads.check_uploads(materials, already=application.materials.count())
    today = today or timezone.localdate()
    _save_materials(application, checked, is_supplement=True)
    _resume(application, today=today)
    application.save(update_fields=PAUSE_FIELDS)
    _step(application, action="materials_supplemented", by=None, note=(note or "").strip())
    audit.record(application, action="repair_materials_supplemented")
    _notify_staff(
        _reviewer_ids(),
        kind="repair_supplemented",
        message=_("申请 %(number)s 已补充材料，计时恢复。") % {"number": application.tracking_number},
        application=application,
    )
    _mail_applicant(application, note=gettext("已收到补充材料，办理计时恢复。"))
    return application


# --- review by the credit office ---------------------------------------------------------------------------------


@transaction.atomic
def accept_application(*, application: Application, by: User, today: datetime.date | None = None) -> Application:
    """Accept a repair application; the decision limit starts (DOMAIN §8)."""
    _require_reviewer(by)
    application = _locked(application, by)
    if application.kind != ApplicationKind.REPAIR:
        raise RepairError(_("异议申请请转来源部门核查。"), code="use_route")
    today = today or timezone.localdate()
    transitions.move(application, S.ACCEPTED)
    due = workdays.add_working_days(today, policy.limits(application.kind, on=application.submitted_on).decide_days)
    application.accepted_on = today
    application.decide_due_date = due.date
    application.is_due_date_provisional = due.provisional
    application.is_overdue = False
    application.save(
        update_fields=[
            "status",
            "accepted_on",
            "decide_due_date",
            "is_due_date_provisional",
            "is_overdue",
            "updated_at",
        ]
    )
    _step(application, action="accepted", by=by)
    audit.record(application, action="repair_application_accepted", by=by)
    _mail_applicant(application, note=gettext("申请已受理。"))
    return application


@transaction.atomic
def route_objection(*, application: Application, by: User, today: datetime.date | None = None) -> Application:
    """Accept an objection and route it to the source department, whose limit starts (DOMAIN §8)."""
    _require_reviewer(by)
    application = _locked(application, by)
    if application.kind != ApplicationKind.OBJECTION:
        raise RepairError(_("只有异议申请需要转来源部门核查。"), code="not_objection")
    today = today or timezone.localdate()
    transitions.move(application, S.ROUTED)
    due = workdays.add_working_days(today, policy.limits(application.kind, on=application.submitted_on).decide_days)
    application.accepted_on = today
    application.decide_due_date = due.date
    application.is_due_date_provisional = due.provisional
    application.is_overdue = False
    application.save(
        update_fields=[
            "status",
            "accepted_on",
            "decide_due_date",
            "is_due_date_provisional",
            "is_overdue",
            "updated_at",
        ]
    )
    _step(application, action="routed", by=by, note=application.department.name)
    audit.record(application, action="objection_routed", by=by, detail={"department": application.department_id})
    _notify_staff(
        _clerk_ids(application.department_id),
        kind="objection_routed",
        message=_("异议申请 %(number)s 已转本部门核查，请在%(date)s前答复。")
        % {"number": application.tracking_number, "date": due.date.isoformat()},
        application=application,
    )
    _mail_applicant(
        application,
        note=gettext("异议已受理，已转%(department)s核查。") % {"department": application.department.name},
    )
    return application


@transaction.atomic
def refuse_application(
    *, application: Application, by: User, reason: str, today: datetime.date | None = None
) -> Application:
    """Refuse to accept an application, with the reason told to the applicant (DOMAIN §8)."""
    _require_reviewer(by)
    reason = _require_reason(reason)
    application = _locked(application, by)
    today = today or timezone.localdate()
    transitions.move(application, S.REFUSED)
    _finish(application, by=by, reason=reason, today=today, limit=application.accept_due_date)
    application.save(update_fields=FINISH_FIELDS)
    _clear_mark(application, by=by)
    _step(application, action="refused", by=by, note=reason)
    audit.record(application, action="repair_application_refused", by=by, detail={"reason": reason})
    _mail_applicant(application, note=reason)
    return application


@transaction.atomic
def request_materials(
    *, application: Application, by: User, note: str, today: datetime.date | None = None
) -> Application:
    """Ask the applicant for more materials; the clock stops until they upload (DOMAIN §8)."""
    _require_reviewer(by)
    note = _require_reason(note, field="note")
    application = _locked(application, by)
    _pause(application, today=today or timezone.localdate(), to=S.MATERIALS_REQUESTED)
    application.save(update_fields=PAUSE_FIELDS)
    _step(application, action="materials_requested", by=by, note=note)
    audit.record(application, action="repair_materials_requested", by=by)
    _mail_applicant(application, note=note)
    return application


@transaction.atomic
def extend_time_limit(*, application: Application, by: User, reason: str) -> Application:
    """Extend the decision limit once for a complex case, with the credit office's approval (DOMAIN §8)."""
    _require_reviewer(by)
    reason = _require_reason(reason)
    application = _locked(application, by)
    if application.is_extended:
        raise RepairError(_("办理期限只能延长一次。"), code="already_extended")
    if application.running_status not in (S.ACCEPTED, S.ROUTED, S.ANSWERED) or not application.decide_due_date:
        raise RepairError(_("受理后方可延长办理期限。"), code="not_accepted")
    days = policy.limits(application.kind, on=application.submitted_on).extension_days
    application.decide_due_date, provisional = _shift(application.decide_due_date, days)
    application.is_due_date_provisional = application.is_due_date_provisional or provisional
    application.is_extended = True
    application.is_overdue = False
    application.save(
        update_fields=["decide_due_date", "is_due_date_provisional", "is_extended", "is_overdue", "updated_at"]
    )
    _step(application, action="extended", by=by, note=reason)
    audit.record(application, action="repair_time_limit_extended", by=by, detail={"days": days})
    _mail_applicant(application, note=reason)
    return application


@transaction.atomic
def approve_repair(
    *, application: Application, by: User, reason: str, today: datetime.date | None = None
) -> Application:
    """Grant a repair: the penalty stops being published or the entry leaves its list, upstream is told (DOMAIN §8)."""
    _require_reviewer(by)
    reason = _require_reason(reason)
    application = _locked(application, by)
    today = today or timezone.localdate()
    transitions.move(application, S.APPROVED)
    _finish(application, by=by, reason=reason, today=today, limit=application.decide_due_date)
    application.save(update_fields=FINISH_FIELDS)
    decision = gettext("信用修复决定（%(number)s）") % {"number": application.tracking_number}
    if application.target_kind == TargetKind.PENALTY:
        try:
            disclosure_services.stop_by_repair(penalty=application.penalty, by=by, today=today)
        except DomainError as error:
            raise RepairError(error.message, code=error.code) from None
    else:
        sanctions_services.remove_listing(
            entry=application.list_entry, by=by, reason=RemovalReason.REPAIRED, note=reason, document=decision
        )
    _step(application, action="approved", by=by, note=reason)
    audit.record(
        application,
        action="repair_approved",
        by=by,
        detail={"reason": reason, "target_kind": application.target_kind, "target": application.target.pk},
    )
    _mail_applicant(application, note=reason)
    return application


@transaction.atomic
def deny_repair(*, application: Application, by: User, reason: str, today: datetime.date | None = None) -> Application:
    """Refuse a repair after review, with the reason told to the applicant (DOMAIN §8)."""
    _require_reviewer(by)
    reason = _require_reason(reason)
    application = _locked(application, by)
    today = today or timezone.localdate()
    transitions.move(application, S.DENIED)
    _finish(application, by=by, reason=reason, today=today, limit=application.decide_due_date)
    application.save(update_fields=FINISH_FIELDS)
    _step(application, action="denied", by=by, note=reason)
    audit.record(application, action="repair_denied", by=by, detail={"reason": reason})
    _mail_applicant(application, note=reason)
    return application


# --- objections: the source department answers, the credit office closes -----------------------------------------


@transaction.atomic
def start_expert_review(
    *, application: Application, by: User, note: str, today: datetime.date | None = None
) -> Application:
    """Stop the clock while the record is tested or reviewed by experts (DOMAIN §8: that time is not counted)."""
    note = _require_reason(note, field="note")
    application = _locked(application, by)
    _require_department_or_reviewer(by, application)
    _pause(application, today=today or timezone.localdate(), to=S.EXPERT_REVIEW)
    application.save(update_fields=PAUSE_FIELDS)
    _step(application, action="expert_review_started", by=by, note=note)
    audit.record(application, action="objection_expert_review_started", by=by)
    _mail_applicant(application, note=note)
    return application


@transaction.atomic
def end_expert_review(*, application: Application, by: User, today: datetime.date | None = None) -> Application:
    """Resume the clock after tests or expert review; the paused working days are added to the limit."""
    application = _locked(application, by)
    _require_department_or_reviewer(by, application)
    if application.status != S.EXPERT_REVIEW:
        raise RepairError(_("该申请不在检测鉴定中。"), code="not_paused")
    _resume(application, today=today or timezone.localdate())
    application.save(update_fields=PAUSE_FIELDS)
    _step(application, action="expert_review_ended", by=by)
    audit.record(application, action="objection_expert_review_ended", by=by)
    _mail_applicant(application, note=gettext("检测鉴定结束，办理计时恢复。"))
    return application


@transaction.atomic
def answer_objection(
    *,
    application: Application,
    by: User,
    outcome: str,
    answer: str,
    changes: Mapping[str, Any] | None = None,
    today: datetime.date | None = None,
) -> Application:
    """The source department's clerk answers: verified correct, corrected (new version, pushed) or withdrawn."""
    application = _locked(application, by)  # another department's clerk gets a 404 (STYLE §2.5)
    access.require_department(by, application.department)
    answer = _require_reason(answer, field="answer")
    if outcome not in ObjectionOutcome.values:
        raise RepairError(_("请选择核查结果。"), code="invalid_choice", field="outcome")
    transitions.move(application, S.ANSWERED)
    target = application.target
    reason = gettext("异议核查（%(number)s）：%(answer)s") % {
        "number": application.tracking_number,
        "answer": answer,
    }
    if application.target_kind != TargetKind.LIST_ENTRY:
        # The record's own correction and withdrawal paths: new version or withdrawal, outbox event (DOMAIN §3, §12).
        if outcome == ObjectionOutcome.CORRECTED:
            if not changes:
                raise RepairError(_("请填写更正后的内容。"), code="changes_required", field="changes")
            correct = (
                disclosure_services.correct_penalty
                if application.target_kind == TargetKind.PENALTY
                else disclosure_services.correct_licensing
            )
            correct(**{application.target_kind: target}, by=by, changes=dict(changes), reason=reason)
        elif outcome == ObjectionOutcome.WITHDRAWN:
            withdraw = (
                disclosure_services.withdraw_penalty
                if application.target_kind == TargetKind.PENALTY
                else disclosure_services.withdraw_licensing
            )
            withdraw(**{application.target_kind: target}, by=by, reason=reason, document=application.tracking_number)
    application.answer_outcome = outcome
    application.answer = answer
    application.answered_at = timezone.now()
    application.answered_by = by
    application.save(update_fields=["status", "answer_outcome", "answer", "answered_at", "answered_by", "updated_at"])
    _step(application, action="answered", by=by, note=str(ObjectionOutcome(outcome).label))
    audit.record(application, action="objection_answered", by=by, detail={"outcome": outcome})
    _notify_staff(
        _reviewer_ids(),
        kind="objection_answered",
        message=_("异议申请 %(number)s 来源部门已答复，请办结。") % {"number": application.tracking_number},
        application=application,
    )
    _mail_applicant(application, note=gettext("来源部门已答复，信用办将尽快办结并告知结果。"))
    return application


@transaction.atomic
def close_objection(
    *, application: Application, by: User, reason: str, today: datetime.date | None = None
) -> Application:
    """The credit office closes an answered objection; the "异议处理中" mark is cleared (DOMAIN §8)."""
    _require_reviewer(by)
    reason = _require_reason(reason)
    application = _locked(application, by)
    today = today or timezone.localdate()
    transitions.move(application, S.CLOSED)
    _finish(application, by=by, reason=reason, today=today, limit=application.decide_due_date)
    application.save(update_fields=FINISH_FIELDS)
    if application.target_kind == TargetKind.LIST_ENTRY and application.answer_outcome == ObjectionOutcome.WITHDRAWN:
        sanctions_services.remove_listing(
            entry=application.list_entry,
            by=by,
            reason=RemovalReason.REVOKED,
            note=reason,
            document=application.tracking_number,
        )
    _clear_mark(application, by=by)
    note = gettext("%(outcome)s：%(reason)s") % {
        "outcome": ObjectionOutcome(application.answer_outcome).label,
        "reason": reason,
    }
    _step(application, action="closed", by=by, note=note)
    audit.record(application, action="objection_closed", by=by, detail={"outcome": application.answer_outcome})
    _mail_applicant(
        application,
        note=note + gettext("。如对结果有异议，可凭查询编号申请复核。"),
    )
    return application


# --- hourly job: reminders before a limit, overdue flags ---------------------------------------------------------


RUNNING = {
    S.SUBMITTED: "accept_due_date",
    S.ACCEPTED: "decide_due_date",
    S.ROUTED: "decide_due_date",
    S.ANSWERED: "decide_due_date",
}


def _staff_rows(rows, *, kind: str, key: str, message) -> list[Notification]:
    reviewers = _reviewer_ids()
    notifications = []
    clerks_by_department: dict[int, list[int]] = {}
    for pk, number, department_id, status, due in rows:
        users = list(reviewers)
        if status == S.ROUTED:
            if department_id not in clerks_by_department:
                clerks_by_department[department_id] = _clerk_ids(department_id)
            users += clerks_by_department[department_id]
        text = str(message % {"number": number, "date": due.isoformat()})
        link = reverse("repair-application", args=[pk])
        notifications += [
            Notification(user_id=user_id, kind=kind, message=text, link=link, dedupe_key=key % {"pk": pk, "due": due})
            for user_id in users
        ]
    return notifications


def scan_time_limits(*, today: datetime.date) -> dict[str, int]:
    """Flag applications past their limit and remind before one; set-based, each message sent once (DOMAIN §8)."""
    flagged = 0
    notifications: list[Notification] = []
    with transaction.atomic():
        for status, field in RUNNING.items():
            overdue = Application.objects.filter(status=status, is_overdue=False, **{f"{field}__lt": today})
            rows = list(overdue.values_list("pk", "tracking_number", "department_id", "status", field))
            if not rows:
                continue
            flagged += Application.objects.filter(pk__in=[row[0] for row in rows]).update(
                is_overdue=True, updated_at=timezone.now()
            )
            audit.record_many(Application, [row[0] for row in rows], action="repair_overdue")
            notifications += _staff_rows(
                rows,
                kind="repair_overdue",
                key="repair-overdue:%(pk)s:%(due)s",
                message=_("申请 %(number)s 已超过办理时限（%(date)s）。"),
            )
        for kind in ApplicationKind.values:
            horizon = workdays.add_working_days(today, policy.limits(kind, on=today).reminder_days).date
            for status, field in RUNNING.items():
                soon = Application.objects.filter(
                    kind=kind, status=status, **{f"{field}__gte": today, f"{field}__lte": horizon}
                )
                rows = list(soon.values_list("pk", "tracking_number", "department_id", "status", field))
                notifications += _staff_rows(
                    rows,
                    kind="repair_reminder",
                    key="repair-reminder:%(pk)s:%(due)s",
                    message=_("申请 %(number)s 将于%(date)s到期，请及时办理。"),
                )
        # The unique (user, dedupe_key) constraint drops repeats: the job may run every hour.
        before = Notification.objects.filter(kind__in=["repair_overdue", "repair_reminder"]).count()
        Notification.objects.bulk_create(notifications, ignore_conflicts=True, batch_size=1000)
        sent = Notification.objects.filter(kind__in=["repair_overdue", "repair_reminder"]).count() - before
    return {"overdue": flagged, "notified": sent}
