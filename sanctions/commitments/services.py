"""Writes of credit commitments: record, fulfil, mark broken, and the daily deadline scan (issue 11)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from credit_portal import access, audit
from credit_portal.errors import DomainError
from credit_portal.notifications import notify_users
from registry.models import Department, Subject, User

from .. import services as sanctions_services
from ..choices import ListColor
from ..evaluation import services as evaluation
from ..models import Commitment, ListEntry, ListType
from .choices import CommitmentStatus, CommitmentType


class CommitmentError(DomainError):
    code = "commitment_error"


class CommitmentResolved(CommitmentError):
    code = "commitment_resolved"
    default_message = _("该承诺的履行情况已认定，不能再次更改。")


class NotBroken(CommitmentError):
    code = "commitment_not_broken"
    default_message = _("只有认定为未履行的承诺才能转为失信记录。")


class AlreadyListed(CommitmentError):
    code = "commitment_already_listed"
    default_message = _("该承诺已转为失信记录，请在名单管理中办理。")


class EvidenceRequired(CommitmentError):
    code = "evidence_required"
    default_message = _("请填写履行情况说明（材料名称、核查结果等）。")


def _regrade_after_commit(subject_id: int) -> None:
    evaluation.regrade_on_commit([subject_id])  # the worker must see the committed row: sent after the commit


@transaction.atomic
def record_commitment(
    *,
    by: User,
    subject: Subject,
    commitment_type: str,
    matter: str,
    text: str,
    commitment_date: date,
    fulfil_by: date | None = None,
    department: Department | None = None,
) -> Commitment:
    """Record a subject's written commitment accepted by the clerk's department."""
    department = department or by.department
    if department is None:
        raise CommitmentError(_("请选择受理部门。"), field="department")
    access.require_department(by, department)
    commitment = Commitment(
        subject=subject,
        department=department,
        commitment_type=CommitmentType(commitment_type),
        matter=matter,
        text=text,
        commitment_date=commitment_date,
        fulfil_by=fulfil_by,
        recorded_by=by,
    )
    commitment.full_clean()
    commitment.save()
    audit.record(commitment, action="commitment_recorded", by=by)
    return commitment


def _resolve(*, commitment: Commitment, by: User, status: str, evidence: str, on: date | None) -> Commitment:
    commitment = Commitment.objects.visible_to(by).select_for_update().get(pk=commitment.pk)
    access.require_department(by, commitment.department)
    if commitment.status != CommitmentStatus.PENDING:
        raise CommitmentResolved()
    if not evidence.strip():
        raise EvidenceRequired(field="evidence")
    commitment.status = status
    commitment.evidence = evidence.strip()
    commitment.resolved_date = on or timezone.localdate()
    commitment.full_clean()
    commitment.save(update_fields=["status", "evidence", "resolved_date", "updated_at"])
    audit.record(commitment, action=f"commitment_{status}", by=by)
    _regrade_after_commit(commitment.subject_id)
    return commitment


@transaction.atomic
def fulfil_commitment(*, commitment: Commitment, by: User, evidence: str, on: date | None = None) -> Commitment:
    """Confirm a commitment fulfilled, with the evidence; the subject is regraded after the commit."""
    return _resolve(commitment=commitment, by=by, status=CommitmentStatus.FULFILLED, evidence=evidence, on=on)


@transaction.atomic
def mark_commitment_broken(*, commitment: Commitment, by: User, evidence: str, on: date | None = None) -> Commitment:
    """Find a commitment broken (失信), with the facts; the subject is regraded after the commit."""
    return _resolve(commitment=commitment, by=by, status=CommitmentStatus.BROKEN, evidence=evidence, on=on)


@transaction.atomic
def propose_listing_for_commitment(*, commitment: Commitment, by: User, list_type: ListType) -> ListEntry:
    """Turn a broken commitment into a black-list proposal; the list workflow gives the notice rights (DOMAIN §6)."""
    commitment = Commitment.objects.visible_to(by).select_for_update().get(pk=commitment.pk)
    access.require_department(by, commitment.department)
    if commitment.status != CommitmentStatus.BROKEN:
        raise NotBroken()
    if commitment.list_entry_id:
        raise AlreadyListed()
    if list_type.color != ListColor.BLACK:
        raise CommitmentError(_("请选择黑名单类型。"), code="wrong_list_color", field="list_type")
    entry = sanctions_services.propose_listing(
        by=by,
        department=commitment.department,
        list_type=list_type,
        subject=commitment.subject,
        reason=_("违背信用承诺：%(type)s，事项“%(matter)s”。")
        % {"type": commitment.get_commitment_type_display(), "matter": commitment.matter},
        facts=commitment.evidence,
    )
    commitment.list_entry = entry
    commitment.save(update_fields=["list_entry", "updated_at"])
    audit.record(commitment, action="commitment_listing_proposed", by=by)
    return entry


def flag_overdue_commitments(*, today: date) -> int:
    """Daily: flag pending commitments past their deadline without evidence and tell the department's clerks once."""
    due = Commitment.objects.filter(
        status=CommitmentStatus.PENDING, fulfil_by__lt=today, evidence="", is_overdue=False
    )
    with transaction.atomic():
        rows = list(due.select_for_update().values_list("pk", "department_id"))
        if not rows:
            return 0
        ids = [pk for pk, _department in rows]
        Commitment.objects.filter(pk__in=ids).update(is_overdue=True, updated_at=timezone.now())
        audit.record_many(Commitment, ids, action="commitment_overdue")
        per_department: dict[int, int] = defaultdict(int)
        for _pk, department_id in rows:
            per_department[department_id] += 1
        users: dict[int, list[int]] = defaultdict(list)
        for department_id, user_id in User.objects.filter(
            department_id__in=per_department, is_active=True
        ).values_list("department_id", "pk"):
            users[department_id].append(user_id)
        for department_id, count in per_department.items():
            notify_users(
                users[department_id],
                kind="sanctions.commitment_overdue",
                message=_("本部门有 %(count)s 项信用承诺已过履诺期限且未提供履行材料，请核实并认定履行情况。")
                % {"count": count},
                link="/staff/sanctions/commitments/?overdue=1",
                dedupe_key=f"commitment-overdue:{department_id}:{today.isoformat()}",
            )
    return len(ids)
