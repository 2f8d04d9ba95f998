"""Writes of government integrity: the credit office files agencies' dishonesty and assesses departments yearly."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from credit_portal import access, audit
from credit_portal.errors import DomainError
from registry.models import Department, Subject, User

from ..models import GovernmentRecord, IntegrityAssessment
from .choices import AssessmentStatus

# Issue 11: agencies (机构编制 11 机关, 12 事业单位) are subjects like any other, told apart by their code.
GOVERNMENT_PREFIXES = ("11", "12")


class IntegrityRefused(DomainError):
    code = "integrity_error"


def _require_office(by: User) -> None:
    access.require_role(by, access.Role.REVIEWER, access.Role.ADMIN)


@transaction.atomic
def file_government_record(
    *, by: User, subject: Subject, kind: str, description: str, occurred_date: date
) -> GovernmentRecord:
    """File an agency's own dishonesty record (credit office only)."""
    _require_office(by)
    if not (subject.uscc or "").startswith(GOVERNMENT_PREFIXES):
        raise IntegrityRefused(
            _("只能对机关、事业单位（统一社会信用代码以11、12开头）录入政务失信记录。"),
            code="not_a_government_subject",
            field="subject",
        )
    record = GovernmentRecord(
        subject=subject, kind=kind, description=description, occurred_date=occurred_date, filed_by=by
    )
    record.full_clean()
    record.save()
    audit.record(record, action="government_record_filed", by=by)
    return record


@transaction.atomic
def publish_government_record(*, record: GovernmentRecord, by: User) -> GovernmentRecord:
    """Make a filed government dishonesty record public."""
    _require_office(by)
    record = GovernmentRecord.objects.select_for_update().get(pk=record.pk)
    record.is_public = True
    record.save(update_fields=["is_public", "updated_at"])
    audit.record(record, action="government_record_published", by=by)
    return record


def _checked_items(items: list[dict]) -> tuple[list[dict], Decimal]:
    cleaned, total = [], Decimal(0)
    for position, item in enumerate(items):
        try:
            score, maximum = Decimal(str(item["score"])), Decimal(str(item["max_score"]))
            criterion = str(item["criterion"]).strip()
        except (KeyError, ArithmeticError, ValueError) as exc:
            raise IntegrityRefused(
                _("第 %(n)s 项指标缺少名称、分值或得分。") % {"n": position + 1}, code="bad_item", field="items"
            ) from exc
        if not criterion or score < 0 or score > maximum:
            raise IntegrityRefused(
                _("第 %(n)s 项指标的得分应在 0 与满分之间。") % {"n": position + 1}, code="bad_item", field="items"
            )
        cleaned.append(
            {"criterion": criterion, "max_score": str(maximum), "score": str(score), "remark": item.get("remark", "")}
        )
        total += score
    return cleaned, total


@transaction.atomic
def record_assessment(
    *, by: User, year: int, department: Department, items: list[dict], remarks: str = ""
) -> IntegrityAssessment:
    """Create or revise a department's assessment of the year while it is a draft; the total is the items' sum."""
    _require_office(by)
    cleaned, total = _checked_items(items)
    assessment = IntegrityAssessment.objects.select_for_update().filter(
        year=year, department=department
    ).first() or IntegrityAssessment(year=year, department=department, assessed_by=by)
    if assessment.status == AssessmentStatus.FINAL:
        raise IntegrityRefused(_("该评价已确定，不能再修改。"), code="assessment_final")
    assessment.items, assessment.remarks, assessment.assessed_by = cleaned, remarks, by
    assessment.score = total.quantize(Decimal("0.01"))
    assessment.full_clean()
    assessment.save()
    audit.record(assessment, action="integrity_assessment_recorded", by=by)
    return assessment


@transaction.atomic
def finalise_assessment(*, assessment: IntegrityAssessment, by: User) -> IntegrityAssessment:
    """Fix an assessment; from then on it appears in the public summary."""
    _require_office(by)
    assessment = IntegrityAssessment.objects.select_for_update().get(pk=assessment.pk)
    assessment.status = AssessmentStatus.FINAL
    assessment.save(update_fields=["status", "updated_at"])
    audit.record(assessment, action="integrity_assessment_finalised", by=by)
    return assessment
