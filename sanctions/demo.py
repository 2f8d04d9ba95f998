"""Demo data of the sanctions app, set-based: called by ``manage.py generate_demo`` after disclosure.

List entries in every workflow state (black and red), their dated steps, and a few credit checks with feedback.
Demo entries count as already delivered upstream, so no outbox events are written for them.
"""

from __future__ import annotations

import datetime
import random
from typing import TextIO

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from credit_portal import bulkload
from credit_portal.access import GROUP_NAMES, Role
from credit_portal.workdays import services as workdays
from registry.choices import SubjectCategory
from registry.models import Subject, User

from . import services
from .choices import BusinessMatter, EntryStatus, FeedbackOutcome, ListColor, RemovalReason
from .models import ListEntry, ListEntryStep, ListType

BLACK_STATES = (
    [EntryStatus.PUBLISHED] * 14
    + [EntryStatus.PROPOSED, EntryStatus.NOTICE_SERVED, EntryStatus.STATEMENT_RECORDED, EntryStatus.DECIDED]
    + [EntryStatus.REMOVED] * 2
)
RED_STATES = [EntryStatus.PUBLISHED] * 8 + [EntryStatus.PROPOSED, EntryStatus.PUBLIC_NOTICE]
STEP_PATHS = {
    ListColor.BLACK: [
        EntryStatus.PROPOSED,
        EntryStatus.NOTICE_SERVED,
        EntryStatus.STATEMENT_RECORDED,
        EntryStatus.DECIDED,
        EntryStatus.PUBLISHED,
        EntryStatus.REMOVED,
    ],
    ListColor.RED: [EntryStatus.PROPOSED, EntryStatus.PUBLIC_NOTICE, EntryStatus.PUBLISHED, EntryStatus.REMOVED],
}
REASONS = {
    "sxbzxr": "有履行能力而拒不履行生效法律文书确定的给付义务。",
    "tax_major": "虚开增值税专用发票，偷税数额达到重大税收违法失信主体标准。",
    "wage_arrears": "拖欠农民工工资，经责令限期支付逾期未支付。",
    "samr_serious": "生产销售不符合食品安全标准的食品，受到较重行政处罚。",
    "commerce_black": "单用途预付卡经营中违规发卡、拒不兑付，情节严重。",
    "commerce_watch": "预付卡经营存在较重违法失信行为。",
    "social_org": "被列入活动异常名录满2年仍未纠正。",
    "tax_a": "年度纳税信用评价为A级。",
    "customs_aeo": "经海关认证为高级认证企业。",
    "honest_model": "连续三年无不良信用记录，诚信经营示范作用突出。",
    "star_merchant": "守法经营、明码标价，年度评定为星级诚信示范商户。",
    "trustworthy_youth": "诚实守信事迹突出，经推荐评定。",
}


def generate(*, rng: random.Random, today: datetime.date, stdout: TextIO, scale: int) -> None:
    """About one entry per 20 subjects (at least 60, at most 50,000), in every state, and a dozen credit checks."""
    list_types = list(ListType.objects.active())
    clerks = _clerks_by_department()
    if not list_types or not clerks:
        stdout.write("sanctions: no list types or no department clerks: skipped")
        return
    wanted = max(60, min(scale // 20, 50_000))
    subjects = _sample_subjects(rng, wanted)
    with transaction.atomic():
        entries = _create_entries(rng=rng, today=today, list_types=list_types, subjects=subjects, clerks=clerks)
    stdout.write(f"sanctions: {len(entries)} list entries")
    checks = _create_checks(rng=rng, clerks=clerks, entries=entries)
    stdout.write(f"sanctions: {checks} credit checks with feedback")
    # issue 11: commitments on the same sample, then every subject's grade (the nightly job, set-based).
    from .commitments import demo as commitments_demo
    from .commitments.services import flag_overdue_commitments
    from .evaluation.services import recompute_grades

    with transaction.atomic():
        count = commitments_demo.generate(rng=rng, today=today, subjects=subjects, clerks=clerks)
    flag_overdue_commitments(today=today)
    stdout.write(f"sanctions: {count} credit commitments")
    stdout.write(f"sanctions: {recompute_grades(today=today)} subjects graded")
    from .integrity import demo as integrity_demo

    assessments, records = integrity_demo.generate(rng=rng, today=today)
    stdout.write(f"sanctions: {assessments} integrity assessments of {today.year - 1}, {records} agency records")


def _clerks_by_department() -> dict[int, User]:
    group = Group.objects.filter(name=GROUP_NAMES[Role.CLERK]).first()
    if group is None:
        return {}
    clerks: dict[int, User] = {}
    for user in User.objects.filter(groups=group, department__isnull=False).order_by("pk"):
        clerks.setdefault(user.department_id, user)
    return clerks


def _sample_subjects(rng: random.Random, wanted: int) -> list[tuple[int, str]]:
    """(id, category) of about ``wanted`` random subjects, read by random ids in one or two queries."""
    first = Subject.objects.order_by("pk").values_list("pk", flat=True).first()
    last = Subject.objects.order_by("-pk").values_list("pk", flat=True).first()
    if first is None:
        return []
    span = last - first + 1
    ids = set(rng.sample(range(first, last + 1), min(span, wanted * 2)))
    rows = list(Subject.objects.filter(pk__in=ids).values_list("pk", "category"))
    rng.shuffle(rows)
    return rows[:wanted]


def _create_entries(*, rng, today, list_types, subjects, clerks) -> list[ListEntry]:
    by_color = {color: [lt for lt in list_types if lt.color == color] for color in ListColor.values}
    calendar = workdays.load_calendar(range(today.year - 2, today.year + 2))  # one snapshot for every entry
    department_ids = sorted(clerks)
    now = timezone.now()
    entries: list[ListEntry] = []
    used: set[tuple[int, int]] = set()
    for index, (subject_id, category) in enumerate(subjects):
        color = ListColor.RED if index % 4 == 3 else ListColor.BLACK
        if category == SubjectCategory.NATURAL_PERSON:  # persons: 失信被执行人 or 守信青年 only
            choices = [lt for lt in by_color[color] if lt.code in ("sxbzxr", "trustworthy_youth")]
        else:
            choices = [lt for lt in by_color[color] if lt.code != "trustworthy_youth"]
        if not choices:
            continue
        list_type = rng.choice(choices)
        if (list_type.pk, subject_id) in used:
            continue
        used.add((list_type.pk, subject_id))
        status = rng.choice(BLACK_STATES if color == ListColor.BLACK else RED_STATES)
        department_id = rng.choice(department_ids)
        proposed_on = today - datetime.timedelta(days=rng.randint(20, 700))
        entry = ListEntry(
            list_type=list_type,
            subject_id=subject_id,
            department_id=department_id,
            proposed_by=clerks[department_id],
            status=status,
            reason=REASONS.get(list_type.code, "依法认定。"),
        )
        entry.created_at = now
        _fill_dates(
            entry,
            list_type=list_type,
            proposed_on=proposed_on,
            today=today,
            rng=rng,
            number=index + 1,
            calendar=calendar,
        )
        entries.append(entry)
    ListEntry.objects.bulk_create(entries, batch_size=2000)
    steps = []
    for entry in entries:
        path = STEP_PATHS[entry.list_type.color]
        for status in path[: path.index(entry.status) + 1]:
            by_id = None if status == EntryStatus.REMOVED else entry.proposed_by_id
            steps.append(ListEntryStep(entry_id=entry.pk, status=status, at=now, by_id=by_id))
    if bulkload.is_postgresql():
        bulkload.copy_instances(ListEntryStep, steps)  # 50,000 entries have about 200,000 steps
    else:
        ListEntryStep.objects.bulk_create(steps, batch_size=5000)
    return entries


def _fill_dates(entry, *, list_type, proposed_on, today, rng, number, calendar) -> None:
    """The dates each state implies: notice and statement deadline, decision, validity, removal."""
    reached = STEP_PATHS[list_type.color].index(entry.status)
    if list_type.color == ListColor.BLACK and reached >= 1:
        entry.notice_date = proposed_on + datetime.timedelta(days=3)
        entry.notice_document_number = f"西信告〔{entry.notice_date.year}〕{number}号"
        due = calendar.add_working_days(entry.notice_date, list_type.notice_working_days)
        entry.statement_due_date, entry.is_statement_due_date_provisional = due.date, due.provisional
    if list_type.color == ListColor.RED and reached >= 1:
        entry.notice_date = proposed_on + datetime.timedelta(days=2)
        entry.public_notice_end_date = entry.notice_date + datetime.timedelta(days=list_type.public_notice_days)
    decided = (list_type.color == ListColor.BLACK and reached >= 3) or (
        list_type.color == ListColor.RED and reached >= 2
    )
    if decided:
        entry.decision_date = min(today, proposed_on + datetime.timedelta(days=15))
        entry.decision_document_number = f"西信决〔{entry.decision_date.year}〕{number}号"
        entry.valid_from = entry.decision_date
        entry.valid_to = services.add_months(entry.valid_from, list_type.default_validity_months)
    if entry.status in (EntryStatus.PUBLISHED, EntryStatus.REMOVED):
        entry.published_at = timezone.now() - datetime.timedelta(days=(today - entry.valid_from).days)
    if entry.status == EntryStatus.REMOVED:
        entry.removal_reason = rng.choice(
            [RemovalReason.EXPIRED, RemovalReason.REVOKED]
            + ([RemovalReason.REPAIRED] if list_type.early_removal_allowed else [])
        )
        entry.removed_at = timezone.now() - datetime.timedelta(days=rng.randint(1, 10))


def _create_checks(*, rng, clerks, entries) -> int:
    """A dozen checks through the service (so they look like real ones), half of them with feedback."""
    listed_codes = list(
        Subject.objects.filter(
            pk__in=[entry.subject_id for entry in entries if entry.status == EntryStatus.PUBLISHED][:200],
            uscc__isnull=False,
        ).values_list("uscc", flat=True)
    )
    other_codes = list(Subject.objects.filter(uscc__isnull=False).values_list("uscc", flat=True)[:200])
    if not listed_codes:
        return 0
    matters = [BusinessMatter.GOVERNMENT_PROCUREMENT, BusinessMatter.BIDDING, BusinessMatter.ADMINISTRATIVE_LICENSING]
    matters += [BusinessMatter.PUBLIC_FUNDS, BusinessMatter.AWARDS, BusinessMatter.DAILY_SUPERVISION]
    count = 0
    for index in range(12):
        clerk = clerks[rng.choice(sorted(clerks))]
        codes = rng.sample(listed_codes, min(5, len(listed_codes))) + rng.sample(
            other_codes, min(15, len(other_codes))
        )
        rng.shuffle(codes)
        check, results = services.run_credit_check(
            by=clerk, matter=rng.choice(matters), codes=codes, purpose="演示：业务办理前信用核查"
        )
        count += 1
        if index % 2:
            continue
        rows = []
        for result in results:
            for measure in result["measures"][:2]:
                applied = rng.random() < 0.8
                rows.append(
                    {
                        "item": result["item_id"],
                        "measure": measure["id"],
                        "outcome": FeedbackOutcome.APPLIED if applied else FeedbackOutcome.NOT_APPLIED,
                        "reason": "" if applied else "该主体已于核查前完成履约，按规定不再限制。",
                    }
                )
        if rows:
            services.record_feedback(check=check, by=clerk, rows=rows)
    return count
