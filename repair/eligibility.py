"""Who may apply about which record, checked at once and explained by rule (DOMAIN §8).

Each rule has a stable code and a message saying what to do next; the public form and the public API show both.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from credit_portal import crypto
from credit_portal.errors import DomainError
from disclosure.choices import RecordStatus
from disclosure.models import Licensing, Penalty
from registry import codes
from registry.choices import IdType, SubjectCategory
from registry.models import Subject
from sanctions.choices import EntryStatus, ListColor
from sanctions.models import ListEntry
from sanctions.services import add_months

from . import policy
from .choices import OPEN_STATUSES, ApplicationKind, ApplicationStatus, TargetKind
from .models import Application

# Rule code -> message. The codes are part of the API (DOMAIN §11) and never change.
RULES: dict[str, str] = {
    "record_not_found": _("未找到与所填主体对应的这条记录，请核对决定文书号、主体名称及代码（证件号码）。"),
    "not_published": _("该记录当前未在公示（或名单未公开），无需申请。"),
    "not_repairable": _("该记录属于不可修复的情形（特定严重失信情形，或名单规定不得提前移出），须公示期满。"),
    "shortest_period_not_over": _("最短公示期至%(date)s届满，届满后方可申请信用修复。"),
    "repaired_within_cooloff": _("该主体上次信用修复距今不满%(months)d个月（%(date)s），暂不能再次申请。"),
    "duplicate_open_application": _(
        "该记录已有正在办理的申请（查询编号%(number)s），请凭查询编号查询进度，勿重复提交。"
    ),
    "repair_not_for_licensing": _("行政许可信息不适用信用修复；如认为信息有误，请提交异议申诉。"),
}


class Ineligible(DomainError):
    """An application refused at filing by one rule of RULES."""

    code = "ineligible"

    def __init__(self, rule: str, *, field: str | None = None, **params):
        message = RULES[rule] % params if params else RULES[rule]
        super().__init__(message, code=rule, field=field, params=params)


@dataclass(frozen=True)
class Identity:
    """How the applicant names the subject: a code for organisations, an ID number for natural persons."""

    name: str
    uscc: str = ""
    id_type: str = IdType.RESIDENT_ID
    id_number: str = ""


def check_identity_input(identity: Identity) -> list[DomainError]:
    """Shape checks of the code or ID number (registry.codes is the one home of these rules)."""
    errors = []
    if not identity.name.strip():
        errors.append(DomainError(_("请填写主体名称（自然人填写姓名）。"), code="required", field="subject_name"))
    if identity.uscc:
        check = codes.validate_uscc(identity.uscc)
        for error in check.errors[:1]:
            errors.append(DomainError(error.message, code=f"uscc_{error.code}", field="uscc"))
    elif identity.id_number:
        check = codes.validate_id_number(identity.id_number, id_type=identity.id_type or IdType.RESIDENT_ID)
        for error in check.errors[:1]:
            errors.append(DomainError(error.message, code=f"id_number_{error.code}", field="id_number"))
    else:
        errors.append(
            DomainError(_("请填写统一社会信用代码；自然人请填写证件号码。"), code="identifier_required", field="uscc")
        )
    return errors


def _subject_filter(identity: Identity, prefix: str = "subject__") -> Q:
    if identity.uscc:
        return Q(**{f"{prefix}uscc": codes.normalise(identity.uscc)})
    number = codes.normalise_id_number(identity.id_number)
    # DOMAIN §10: the ID number is compared through its keyed hash only; it is neither stored nor shown.
    return Q(
        **{
            f"{prefix}category": SubjectCategory.NATURAL_PERSON,
            f"{prefix}id_type": identity.id_type or IdType.RESIDENT_ID,
            f"{prefix}id_number_hash": crypto.keyed_hash(number),
        }
    )


def find_target(*, target_kind: str, document_number: str, identity: Identity):
    """The record the applicant means, only when the subject's name and code (or ID number) match it."""
    number = (document_number or "").strip()
    name = identity.name.strip()
    if not number:
        raise DomainError(_("请填写决定文书号。"), code="required", field="document_number")
    if target_kind == TargetKind.LIST_ENTRY:
        queryset = ListEntry.objects.select_related("subject", "list_type", "department").filter(
            decision_document_number=number, subject__name=name
        )
    else:
        model = Penalty if target_kind == TargetKind.PENALTY else Licensing
        queryset = model.objects.select_related("subject", "department").filter(
            document_number=number, subject_name=name
        )
    # Matching on name and code together, and one message for any mismatch: the form reveals nothing about others.
    target = queryset.filter(_subject_filter(identity)).order_by("-pk").first()
    if target is None:
        raise Ineligible("record_not_found", field="document_number")
    return target


def _open_duplicate(*, kind: str, target_kind: str, target) -> Application | None:
    return (
        Application.objects.filter(kind=kind, target_kind=target_kind, status__in=OPEN_STATUSES)
        .filter(**{target_kind: target})
        .only("tracking_number")
        .first()
    )


def _last_repair(subject: Subject) -> datetime.date | None:
    """The day of the subject's latest granted repair, in this app or recorded on a penalty."""
    days = []
    approved = (
        Application.objects.filter(subject=subject, kind=ApplicationKind.REPAIR, status=ApplicationStatus.APPROVED)
        .order_by("-decided_on")
        .values_list("decided_on", flat=True)
        .first()
    )
    if approved:
        days.append(approved)
    stopped = (
        Penalty.objects.filter(subject=subject, status=RecordStatus.STOPPED_BY_REPAIR, stopped_at__isnull=False)
        .order_by("-stopped_at")
        .values_list("stopped_at", flat=True)
        .first()
    )
    if stopped:
        days.append(stopped.date())
    return max(days) if days else None


def check(*, kind: str, target_kind: str, target, today: datetime.date) -> None:
    """Raise Ineligible with the first rule an application breaks (DOMAIN §8)."""
    if kind == ApplicationKind.REPAIR and target_kind == TargetKind.LICENSING:
        raise Ineligible("repair_not_for_licensing", field="target_kind")
    if target_kind == TargetKind.LIST_ENTRY:
        if target.status != EntryStatus.PUBLISHED:
            raise Ineligible("not_published", field="document_number")
    elif target.status != RecordStatus.PUBLISHED or not target.is_publishable:
        raise Ineligible("not_published", field="document_number")
    duplicate = _open_duplicate(kind=kind, target_kind=target_kind, target=target)
    if duplicate is not None:
        raise Ineligible("duplicate_open_application", field="document_number", number=duplicate.tracking_number)
    if kind != ApplicationKind.REPAIR:
        return
    if target_kind == TargetKind.PENALTY:
        if not target.is_repairable:
            raise Ineligible("not_repairable", field="document_number")
        if target.shortest_end_date and today < target.shortest_end_date:
            raise Ineligible(
                "shortest_period_not_over", field="document_number", date=target.shortest_end_date.isoformat()
            )
    else:
        list_type = target.list_type
        if list_type.color == ListColor.RED or not list_type.early_removal_allowed:
            raise Ineligible("not_repairable", field="document_number")
        start = target.valid_from or target.decision_date
        if start and list_type.min_months_before_repair:
            earliest = add_months(start, list_type.min_months_before_repair)
            if today < earliest:
                raise Ineligible("shortest_period_not_over", field="document_number", date=earliest.isoformat())
    months = policy.limits(ApplicationKind.REPAIR, on=today).cooloff_months
    last = _last_repair(target.subject)
    if months and last and today < add_months(last, months):
        raise Ineligible("repaired_within_cooloff", field="subject_name", months=months, date=last.isoformat())
