"""Demo government integrity, set-based: last year's assessment of every department and a few agency records."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import transaction

from credit_portal.access import GROUP_NAMES, Role
from registry.models import Department, Subject, User

from ..models import GovernmentRecord, IntegrityAssessment
from .choices import AssessmentStatus, GovernmentRecordKind
from .criteria import DEFAULT_CRITERIA
from .services import GOVERNMENT_PREFIXES

RECORDS = {
    GovernmentRecordKind.JUDGMENT_UNFULFILLED: "未按期履行人民法院生效判决确定的工程款支付义务。",
    GovernmentRecordKind.BROKEN_CONTRACT: "政府采购合同验收合格后逾期未支付合同款。",
    GovernmentRecordKind.BROKEN_PROMISE: "招商引资协议约定的配套政策未按期兑现。",
}


def _office_user() -> User | None:
    group = Group.objects.filter(name=GROUP_NAMES[Role.REVIEWER]).first()
    users = User.objects.filter(groups=group) if group else User.objects.none()
    return users.order_by("pk").first() or User.objects.filter(is_superuser=True).order_by("pk").first()


@transaction.atomic
def generate(*, rng: random.Random, today: datetime.date) -> tuple[int, int]:
    """Last year's assessment of every department (fixed, so the public summary shows it), and agency records."""
    office = _office_user()
    if office is None:
        return 0, 0
    year = today.year - 1
    assessments = []
    for department in Department.objects.exclude(integrity_assessments__year=year).order_by("pk"):
        items = []
        for name, maximum in DEFAULT_CRITERIA:
            score = Decimal(maximum) - Decimal(rng.choice([0, 0, 0, 0.5, 1, 2, 3]))
            items.append({"criterion": str(name), "max_score": str(maximum), "score": str(score), "remark": ""})
        total = sum(Decimal(item["score"]) for item in items)
        assessments.append(
            IntegrityAssessment(
                year=year,
                department=department,
                items=items,
                score=total,
                remarks="按年度政务诚信评价指标逐项评分。",
                status=AssessmentStatus.FINAL,
                assessed_by=office,
            )
        )
    IntegrityAssessment.objects.bulk_create(assessments)
    agencies = list(
        Subject.objects.filter(uscc__startswith=GOVERNMENT_PREFIXES[0]).order_by("pk")[:3]
        or Subject.objects.filter(uscc__startswith=GOVERNMENT_PREFIXES[1]).order_by("pk")[:3]
    )
    records = [
        GovernmentRecord(
            subject=agency,
            kind=kind,
            description=text,
            occurred_date=datetime.date(year, rng.randint(1, 12), rng.randint(1, 28)),
            is_public=position != 0,  # one stays with the office, unpublished
            filed_by=office,
        )
        for position, (agency, (kind, text)) in enumerate(zip(agencies, RECORDS.items(), strict=False))
    ]
    GovernmentRecord.objects.bulk_create(records)
    return len(assessments), len(records)
