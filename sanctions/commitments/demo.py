"""Demo credit commitments, set-based: called from ``sanctions.demo.generate`` (issue 11)."""

from __future__ import annotations

import datetime
import random

from credit_portal import bulkload

from ..models import Commitment
from .choices import CommitmentStatus, CommitmentType

MATTERS = {
    CommitmentType.NOTIFICATION: ("食品经营许可", "承诺符合许可条件，所报材料真实有效。"),
    CommitmentType.DEFICIENCY_TOLERANCE: ("建设工程规划许可", "承诺在30日内补齐消防设计审查意见。"),
    CommitmentType.REPAIR: ("信用修复", "承诺已纠正失信行为，今后依法诚信经营。"),
    CommitmentType.VOLUNTARY: ("主动承诺", "承诺依法诚信经营，接受社会监督。"),
    CommitmentType.TRADE_SELF_REGULATION: ("行业自律", "承诺遵守行业自律公约。"),
}


def generate(*, rng: random.Random, today: datetime.date, subjects: list[tuple[int, str]], clerks: dict) -> int:
    """About one commitment per sampled subject, in every status, some past their deadline; one INSERT per batch."""
    department_ids = sorted(clerks)
    rows = []
    for subject_id, _category in subjects:
        kind = rng.choice(CommitmentType.values)
        matter, text = MATTERS[CommitmentType(kind)]
        department_id = rng.choice(department_ids)
        made = today - datetime.timedelta(days=rng.randint(5, 400))
        deadline = made + datetime.timedelta(days=30) if kind != CommitmentType.VOLUNTARY else None
        status = rng.choices(CommitmentStatus.values, weights=[3, 6, 1])[0]
        if deadline is None or deadline >= today:
            status = CommitmentStatus.PENDING if deadline else status
        resolved = status != CommitmentStatus.PENDING
        rows.append(
            Commitment(
                subject_id=subject_id,
                department_id=department_id,
                commitment_type=kind,
                matter=matter,
                text=text,
                commitment_date=made,
                fulfil_by=deadline,
                status=status,
                evidence=("已核查，材料齐全。" if status == CommitmentStatus.FULFILLED else "逾期未履行，经核查属实。")
                if resolved
                else "",
                resolved_date=min(today, (deadline or made) + datetime.timedelta(days=3)) if resolved else None,
                recorded_by_id=clerks[department_id].pk,
            )
        )
    if bulkload.is_postgresql():
        bulkload.copy_instances(Commitment, rows)  # up to 50,000 at the city scale
    else:
        Commitment.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
