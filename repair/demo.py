"""Demo data of repair: a few applications in every step, inserted set-based (called by ``generate_demo``)."""

from __future__ import annotations

import datetime
import random
from typing import TextIO

from django.db import transaction

from credit_portal.workdays import services as workdays
from disclosure.choices import RecordStatus
from disclosure.models import Penalty

from . import policy
from .choices import ApplicationKind, ApplicationStatus, ObjectionGround, TargetKind
from .models import Application, ApplicationStep
from .services import TRACKING_ALPHABET, TRACKING_PREFIX

S = ApplicationStatus
# (kind, status) of the demo applications, cycled over the chosen penalties.
PLAN = (
    (ApplicationKind.REPAIR, S.SUBMITTED),
    (ApplicationKind.REPAIR, S.ACCEPTED),
    (ApplicationKind.REPAIR, S.MATERIALS_REQUESTED),
    (ApplicationKind.REPAIR, S.DENIED),
    (ApplicationKind.OBJECTION, S.SUBMITTED),
    (ApplicationKind.OBJECTION, S.ROUTED),
    (ApplicationKind.OBJECTION, S.CLOSED),
)


def generate(*, rng: random.Random, today: datetime.date, stdout: TextIO, scale: int) -> int:
    """About one application per 20,000 subjects (at least 7, at most 500), about published penalties."""
    wanted = max(len(PLAN), min(500, scale // 20_000))
    penalties = list(
        Penalty.objects.filter(status=RecordStatus.PUBLISHED, is_publishable=True)
        .order_by("pk")
        .values("pk", "subject_id", "department_id")[: wanted * 3]
    )
    if not penalties:
        stdout.write("repair: no published penalties, no demo applications")
        return 0
    chosen = rng.sample(penalties, min(wanted, len(penalties)))
    limits = {kind: policy.limits(kind, on=today) for kind in ApplicationKind.values}
    applications = []
    for index, row in enumerate(chosen):
        kind, status = PLAN[index % len(PLAN)]
        submitted = today - datetime.timedelta(days=rng.randint(1, 20))
        accept_due = workdays.add_working_days(submitted, limits[kind].accept_days).date
        accepted = status not in (S.SUBMITTED, S.MATERIALS_REQUESTED)
        accepted_on = accept_due if accepted else None
        suffix = "".join(rng.choice(TRACKING_ALPHABET) for _ in range(4))
        applications.append(
            Application(
                tracking_number=f"{TRACKING_PREFIX[kind]}{submitted:%Y%m%d}{index + 1:05d}-{suffix}",
                kind=kind,
                status=status,
                target_kind=TargetKind.PENALTY,
                penalty_id=row["pk"],
                subject_id=row["subject_id"],
                department_id=row["department_id"],
                ground=ObjectionGround.WRONG if kind == ApplicationKind.OBJECTION else "",
                statement="罚款已缴清，已按要求整改，申请提前停止公示。"
                if kind == ApplicationKind.REPAIR
                else "处罚金额与决定书不一致。",
                contact_name="演示联系人",
                contact_phone=f"138{rng.randint(0, 99_999_999):08d}",
                submitted_on=submitted,
                accept_due_date=accept_due,
                accepted_on=accepted_on,
                decide_due_date=workdays.add_working_days(accepted_on, limits[kind].decide_days).date
                if accepted
                else None,
                paused_on=submitted if status == S.MATERIALS_REQUESTED else None,
                paused_from=S.SUBMITTED if status == S.MATERIALS_REQUESTED else "",
                decided_on=today if status in (S.DENIED, S.CLOSED) else None,
                decision_reason="演示：办理完毕。" if status in (S.DENIED, S.CLOSED) else "",
                answer_outcome="verified" if status == S.CLOSED else "",
            )
        )
    with transaction.atomic():
        created = Application.objects.bulk_create(applications, batch_size=1000)
        ApplicationStep.objects.bulk_create(
            [ApplicationStep(application=item, status=S.SUBMITTED, action="submitted") for item in created]
            + [
                ApplicationStep(application=item, status=item.status, action=item.status)
                for item in created
                if item.status != S.SUBMITTED
            ],
            batch_size=2000,
        )
        marked = [item.penalty_id for item in created if item.kind == ApplicationKind.OBJECTION and item.is_open]
        # DOMAIN §8: open objections show "异议处理中" on the record.
        Penalty.objects.filter(pk__in=marked).update(is_under_objection=True)
    stdout.write(f"repair: {len(created)} applications")
    return len(created)
