"""Every write of the sanctions app: one function per state change, each in one transaction (STYLE §2.3)."""

from __future__ import annotations

import calendar
import json
from collections.abc import Iterable, Sequence
from datetime import date

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from credit_portal import access, audit
from credit_portal.db import skip_locked
from credit_portal.errors import DomainError, NotFound, ValidationFailed
from credit_portal.exchange import outbox
from credit_portal.workdays import services as workdays
from registry.models import Department, Subject, User

from . import selectors, transitions
from .choices import (
    OPEN_STATUSES,
    BusinessMatter,
    CheckItemStatus,
    CheckSource,
    EntryStatus,
    FeedbackOutcome,
    ListColor,
    RemovalReason,
    parse_choice,
)
from .errors import ErrorCode, OverlappingEntry, SanctionsError
from .evaluation import services as evaluation
from .models import CreditCheck, CreditCheckItem, ListEntry, ListEntryStep, ListType, MeasureFeedback


def add_months(start: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it is shorter (31 Jan + 1 month = 28/29 Feb)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _step(entry: ListEntry, *, by: User | None, document: str = "", note: str = "") -> ListEntryStep:
    return ListEntryStep.objects.create(entry=entry, status=entry.status, by=by, document=document, note=note)


def _locked(entry: ListEntry, by: User) -> ListEntry:
    """The entry re-read and locked through the user's scope: outside it, a 404 (STYLE §2.5)."""
    try:
        return (
            ListEntry.objects.visible_to(by)
            .select_for_update(of=("self",))
            .select_related("list_type", "subject", "department")
            .get(pk=entry.pk)
        )
    except ListEntry.DoesNotExist:
        raise NotFound() from None


def _refuse_overlap(*, list_type: ListType, subject: Subject, exclude_pk: int | None = None) -> None:
    open_entries = ListEntry.objects.filter(list_type=list_type, subject=subject, status__in=OPEN_STATUSES)
    if exclude_pk:
        open_entries = open_entries.exclude(pk=exclude_pk)
    if open_entries.exists():
        raise OverlappingEntry(field="subject")


def _require_color(entry: ListEntry, color: str) -> None:
    if entry.list_type.color != color:
        raise SanctionsError(
            _("该操作只适用于%(color)s。") % {"color": ListColor(color).label},
            code=ErrorCode.WRONG_LIST_COLOR,
        )


@transaction.atomic
def propose_listing(
    *, by: User, department: Department, list_type: ListType, subject: Subject, reason: str, facts: str = ""
) -> ListEntry:
    """A department clerk proposes a subject for a red or black list (DOMAIN §6)."""
    access.require_department(by, department)
    if not list_type.is_active:
        raise SanctionsError(_("该名单类型已停用，不能再列入。"), code=ErrorCode.LIST_TYPE_INACTIVE, field="list_type")
    # Lock the subject so two concurrent proposals of one subject are serialised before the overlap check.
    Subject.objects.select_for_update().filter(pk=subject.pk).first()
    _refuse_overlap(list_type=list_type, subject=subject)
    entry = ListEntry(
        list_type=list_type, subject=subject, department=department, reason=reason, facts=facts, proposed_by=by
    )
    entry.full_clean()
    entry.save()
    _step(entry, by=by, note=reason)
    audit.record(entry, action="list_entry_proposed", by=by)
    return entry


@transaction.atomic
def serve_notice(*, entry: ListEntry, by: User, notice_date: date, document_number: str) -> ListEntry:
    """Record the prior notice to the subject and start the statement-and-defence period in working days."""
    entry = _locked(entry, by)
    access.require_department(by, entry.department)
    _require_color(entry, ListColor.BLACK)
    transitions.move(entry, EntryStatus.NOTICE_SERVED)
    # DOMAIN §4, §6: the notice day is not counted; the period is the list type's, kept as data.
    due = workdays.add_working_days(notice_date, entry.list_type.notice_working_days)
    entry.notice_date = notice_date
    entry.notice_document_number = document_number
    entry.statement_due_date = due.date
    entry.is_statement_due_date_provisional = due.provisional
    entry.full_clean()
    entry.save(
        update_fields=[
            "status",
            "notice_date",
            "notice_document_number",
            "statement_due_date",
            "is_statement_due_date_provisional",
            "updated_at",
        ]
    )
    _step(entry, by=by, document=document_number)
    audit.record(entry, action="list_entry_notice_served", by=by)
    return entry


@transaction.atomic
def record_statement(*, entry: ListEntry, by: User, statement: str, document: str = "") -> ListEntry:
    """Record the subject's statement and defence (or a note that it was reviewed)."""
    entry = _locked(entry, by)
    access.require_department(by, entry.department)
    transitions.move(entry, EntryStatus.STATEMENT_RECORDED)
    entry.statement = statement
    entry.save(update_fields=["status", "statement", "updated_at"])
    _step(entry, by=by, document=document, note=statement)
    audit.record(entry, action="list_entry_statement_recorded", by=by)
    return entry


@transaction.atomic
def decide_listing(
    *,
    entry: ListEntry,
    by: User,
    document_number: str,
    decision_date: date,
    approve: bool = True,
    valid_from: date | None = None,
    valid_to: date | None = None,
    note: str = "",
    today: date | None = None,
) -> ListEntry:
    """The credit office decides on a black-list proposal with a written decision (决定书, DOMAIN §6)."""
    access.require_role(by, access.Role.REVIEWER, access.Role.ADMIN)
    entry = _locked(entry, by)
    _require_color(entry, ListColor.BLACK)
    today = today or timezone.localdate()
    if entry.status == EntryStatus.NOTICE_SERVED and entry.statement_due_date and today <= entry.statement_due_date:
        # Without a recorded statement the decision waits until the period has run out (国办发〔2020〕49号).
        raise SanctionsError(
            _("陈述申辩期限至%(due)s，期满或记录陈述申辩意见后方可作出决定。") % {"due": entry.statement_due_date},
            code=ErrorCode.STATEMENT_PERIOD_RUNNING,
        )
    transitions.move(entry, EntryStatus.DECIDED if approve else EntryStatus.REJECTED)
    entry.decision_document_number = document_number
    entry.decision_date = decision_date
    if approve:
        entry.valid_from = valid_from or decision_date
        entry.valid_to = valid_to or add_months(entry.valid_from, entry.list_type.default_validity_months)
    entry.full_clean()
    entry.save(
        update_fields=["status", "decision_document_number", "decision_date", "valid_from", "valid_to", "updated_at"]
    )
    _step(entry, by=by, document=document_number, note=note)
    audit.record(entry, action="list_entry_decided" if approve else "list_entry_rejected", by=by)
    return entry


@transaction.atomic
def start_public_notice(*, entry: ListEntry, by: User, notice_date: date, document: str = "") -> ListEntry:
    """Put a red-list proposal on public notice for its list type's notice days (DOMAIN §6)."""
    access.require_role(by, access.Role.REVIEWER, access.Role.ADMIN)
    entry = _locked(entry, by)
    _require_color(entry, ListColor.RED)
    transitions.move(entry, EntryStatus.PUBLIC_NOTICE)
    entry.notice_date = notice_date
    entry.public_notice_end_date = date.fromordinal(notice_date.toordinal() + entry.list_type.public_notice_days)
    entry.save(update_fields=["status", "notice_date", "public_notice_end_date", "updated_at"])
    _step(entry, by=by, document=document)
    audit.record(entry, action="list_entry_public_notice", by=by)
    return entry


@transaction.atomic
def reject_listing(*, entry: ListEntry, by: User, note: str, document: str = "") -> ListEntry:
    """The credit office does not list the subject (after statement, or objections during a public notice)."""
    access.require_role(by, access.Role.REVIEWER, access.Role.ADMIN)
    entry = _locked(entry, by)
    transitions.move(entry, EntryStatus.REJECTED)
    entry.save(update_fields=["status", "updated_at"])
    _step(entry, by=by, document=document, note=note)
    audit.record(entry, action="list_entry_rejected", by=by)
    return entry


@transaction.atomic
def publish_listing(
    *,
    entry: ListEntry,
    by: User,
    today: date | None = None,
    valid_from: date | None = None,
    valid_to: date | None = None,
    document_number: str = "",
) -> ListEntry:
    """Publish a decided black-list entry or a red-list entry after its notice, and queue it upstream."""
    access.require_role(by, access.Role.REVIEWER, access.Role.ADMIN)
    entry = _locked(entry, by)
    today = today or timezone.localdate()
    if entry.is_red:
        if entry.public_notice_end_date and today <= entry.public_notice_end_date:
            raise SanctionsError(
                _("公示期至%(end)s，期满后方可公开。") % {"end": entry.public_notice_end_date},
                code=ErrorCode.PUBLIC_NOTICE_RUNNING,
            )
        entry.valid_from = valid_from or today
        entry.valid_to = valid_to or add_months(entry.valid_from, entry.list_type.default_validity_months)
        if document_number:
            entry.decision_document_number = document_number
            entry.decision_date = today
    transitions.move(entry, EntryStatus.PUBLISHED)
    entry.published_at = timezone.now()
    entry.full_clean()
    entry.save(
        update_fields=[
            "status",
            "published_at",
            "valid_from",
            "valid_to",
            "decision_document_number",
            "decision_date",
            "updated_at",
        ]
    )
    _step(entry, by=by, document=document_number)
    audit.record(entry, action="list_entry_published", by=by)
    outbox.enqueue(entry, action=outbox.Action.UPSERT)  # in the same transaction as the change (DOMAIN §12)
    evaluation.regrade_on_commit([entry.subject_id])  # issue 11: the grade follows at once
    return entry


@transaction.atomic
def remove_listing(*, entry: ListEntry, by: User, reason: str, note: str = "", document: str = "") -> ListEntry:
    """Take an entry off its list early: repaired (where the type allows it) or decision revoked (DOMAIN §6, §8)."""
    access.require_role(by, access.Role.REVIEWER, access.Role.ADMIN)
    entry = _locked(entry, by)
    reason = parse_choice(RemovalReason, reason) or reason
    if reason not in RemovalReason.values:
        raise SanctionsError(_("请选择移出原因。"), code="invalid_choice", field="reason")
    if reason == RemovalReason.REPAIRED and not entry.list_type.early_removal_allowed:
        raise SanctionsError(
            _("“%(type)s”不允许通过信用修复提前移出。") % {"type": entry.list_type.name},
            code=ErrorCode.REPAIR_NOT_ALLOWED,
            field="reason",
        )
    was_published = entry.status == EntryStatus.PUBLISHED
    transitions.move(entry, EntryStatus.REMOVED)
    entry.removal_reason = reason
    entry.removed_at = timezone.now()
    entry.save(update_fields=["status", "removal_reason", "removed_at", "updated_at"])
    _step(entry, by=by, document=document, note=note or str(RemovalReason(reason).label))
    audit.record(entry, action="list_entry_removed", by=by, detail={"reason": reason})
    if was_published:
        outbox.enqueue(entry, action=outbox.Action.WITHDRAW)
    evaluation.regrade_on_commit([entry.subject_id])  # a repaired removal counts too, published or not
    return entry


def expire_listings(*, today: date, batch_size: int = 5000) -> int:
    """Remove published entries whose validity is over and tell upstream, batch by batch (DOMAIN §6)."""
    due = ListEntry.objects.filter(status=EntryStatus.PUBLISHED, valid_to__lt=today)
    expired = 0
    note = str(RemovalReason.EXPIRED.label)
    while True:
        with transaction.atomic():
            # No ORDER BY: the model's default order made each batch sort or walk an index over every due row.
            ids = list(due.order_by().select_for_update(**skip_locked()).values_list("pk", flat=True)[:batch_size])
            if not ids:
                return expired
            now = timezone.now()
            expired += ListEntry.objects.filter(pk__in=ids).update(
                status=EntryStatus.REMOVED, removal_reason=RemovalReason.EXPIRED, removed_at=now, updated_at=now
            )
            ListEntryStep.objects.bulk_create(
                [ListEntryStep(entry_id=pk, status=EntryStatus.REMOVED, at=now, note=note) for pk in ids],
                batch_size=2000,
            )
            outbox.enqueue_many(ListEntry, ids, action=outbox.Action.WITHDRAW)  # one INSERT per batch
            audit.record_many(ListEntry, ids, action="list_entry_expired")
            evaluation.regrade_on_commit(
                ListEntry.objects.filter(selectors.EqualsAny("pk", ids))
                .values_list("subject_id", flat=True)
                .distinct()
            )


# --- Credit checks -----------------------------------------------------------------------------------------------


def parse_matter(value: str) -> str:
    """A business matter by code or Chinese label (DOMAIN §11), or a refusal naming the field."""
    matter = parse_choice(BusinessMatter, value)
    if matter is None:
        raise SanctionsError(
            _("未知的业务事项“%(value)s”，请使用业务事项代码或中文名称（如“政府采购”）。") % {"value": value},
            code=ErrorCode.UNKNOWN_MATTER,
            field="matter",
        )
    return matter


@transaction.atomic
def run_credit_check(
    *,
    by: User,
    matter: str,
    codes: Sequence[str],
    source: str = CheckSource.API,
    purpose: str = "",
    today: date | None = None,
) -> tuple[CreditCheck, list[dict]]:
    """Check a batch of subjects for one matter and record the check with every result (DOMAIN §7, §10)."""
    access.require_role(by, access.Role.CLERK)
    if not by.department_id:
        raise SanctionsError(_("您的账号未关联部门，不能进行信用核查。"), code="department_required")
    matter = parse_matter(matter)
    codes = [str(code) for code in codes]
    if not codes:
        raise SanctionsError(_("请至少提供一个统一社会信用代码。"), code=ErrorCode.NO_SUBJECTS, field="subjects")
    limit = settings.CREDIT_CHECK_MAX_SUBJECTS
    if len(codes) > limit:
        raise SanctionsError(
            _("一次最多核查%(limit)s个主体，请分批提交。") % {"limit": limit},
            code=ErrorCode.TOO_MANY_SUBJECTS,
            field="subjects",
        )
    results = selectors.check_results(department=by.department, matter=matter, codes=codes, today=today)
    check = CreditCheck.objects.create(
        by=by,
        department_id=by.department_id,
        matter=matter,
        source=source,
        purpose=purpose,
        subject_count=len(results),
        hit_count=sum(1 for result in results if result["has_hits"]),
        invalid_count=sum(1 for result in results if result["status"] == CheckItemStatus.INVALID),
        unknown_count=sum(1 for result in results if result["status"] == CheckItemStatus.UNKNOWN),
    )
    ids = _insert_check_items(check, results)
    for item_id, result in zip(ids, results, strict=True):
        result["item_id"] = item_id
    return check, results


def _insert_check_items(check: CreditCheck, results: list[dict]) -> list[int]:
    """One item per result, in order; their ids (issue 10: 10,000 codes well under 2 s).

    On PostgreSQL the ids are drawn from the table's sequence in one query and the rows go in by COPY, plain
    text, no model instances (building and compiling 10,000 of them was most of a large check's time; a
    multi-row INSERT of 10,000 JSON snapshots still cost the server twice what COPY does). Elsewhere
    ``bulk_create``.
    """
    rows = [
        (
            check.pk,
            result["position"],
            result["query"][:64],
            result["subject"]["id"] if result["subject"] else None,
            str(result["status"]),
            result["has_hits"],
            json.dumps(selectors.snapshot(result), ensure_ascii=False),
        )
        for result in results
    ]
    if connection.vendor == "postgresql" and connection.Database.__name__ == "psycopg2":
        from credit_portal import bulkload

        table = CreditCheckItem._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, len(rows)]
            )
            ids = [row[0] for row in cursor.fetchall()]
        text = bulkload.copy_value  # escapes tabs, newlines and backslashes for COPY's text format
        lines = (
            f"{item_id}\t{check_id}\t{position}\t{text(query)}\t{text(subject_id)}\t{status}\t"
            f"{'t' if has_hits else 'f'}\t{text(snapshot)}\n"
            for item_id, (check_id, position, query, subject_id, status, has_hits, snapshot) in zip(
                ids, rows, strict=True
            )
        )
        bulkload.copy_lines(
            table,
            ["id", "check_record_id", "position", "query", "subject_id", "status", "has_hits", "result"],
            lines,
            batch=settings.CREDIT_CHECK_INSERT_BATCH,
        )
        return ids
    items = [
        CreditCheckItem(
            check_record=check,
            position=position,
            query=query,
            subject_id=subject_id,
            status=status,
            has_hits=has_hits,
            result=json.loads(snapshot),
        )
        for _check_id, position, query, subject_id, status, has_hits, snapshot in rows
    ]
    CreditCheckItem.objects.bulk_create(items, batch_size=settings.CREDIT_CHECK_INSERT_BATCH)
    return [item.pk for item in items]


def _feedback_errors(rows: Iterable[dict], items: dict, positions: dict) -> tuple[list, list[DomainError]]:
    parsed, errors = [], []
    for index, row in enumerate(rows):
        field = f"items[{index}]"
        item = items.get(row.get("item")) if row.get("item") is not None else positions.get(row.get("position"))
        if item is None:
            errors.append(SanctionsError(_("本次核查中没有这一条明细。"), code=ErrorCode.UNKNOWN_ITEM, field=field))
            continue
        measure_id = row.get("measure")
        measures = {measure["id"]: measure for measure in item.result.get("measures", [])}
        if measure_id not in measures:
            errors.append(
                SanctionsError(
                    _("该措施不在此主体的核查结果中，只能反馈核查结果列出的措施。"),
                    code=ErrorCode.MEASURE_NOT_IN_RESULT,
                    field=f"{field}.measure",
                )
            )
            continue
        outcome = parse_choice(FeedbackOutcome, row.get("outcome", ""))
        if outcome is None:
            errors.append(
                SanctionsError(
                    _("实施情况只能是“已实施”或“未实施”。"), code=ErrorCode.UNKNOWN_OUTCOME, field=f"{field}.outcome"
                )
            )
            continue
        reason = (row.get("reason") or "").strip()
        if outcome == FeedbackOutcome.NOT_APPLIED and not reason:
            errors.append(
                SanctionsError(
                    _("未实施的措施必须说明原因。"), code=ErrorCode.REASON_REQUIRED, field=f"{field}.reason"
                )
            )
            continue
        list_type_ids = measures[measure_id].get("list_type_ids") or [None]
        parsed.append((item, measure_id, list_type_ids[0], outcome, reason))
    return parsed, errors


@transaction.atomic
def record_feedback(*, check: CreditCheck, by: User, rows: Sequence[dict]) -> list[MeasureFeedback]:
    """Record, per checked subject and measure, whether it was applied (已实施 / 未实施 with reason, DOMAIN §7)."""
    access.require_role(by, access.Role.CLERK)
    try:
        check = CreditCheck.objects.visible_to(by).select_for_update().get(pk=check.pk)
    except CreditCheck.DoesNotExist:
        raise NotFound() from None
    access.require_department(by, check.department)
    wanted_ids = {row.get("item") for row in rows if row.get("item") is not None}
    wanted_positions = {row.get("position") for row in rows if row.get("position") is not None}
    candidates = CreditCheckItem.objects.filter(check_record=check, has_hits=True).filter(
        Q(pk__in=[pk for pk in wanted_ids if isinstance(pk, int)])
        | Q(position__in=[position for position in wanted_positions if isinstance(position, int)])
    )
    items = {item.pk: item for item in candidates}
    positions = {item.position: item for item in items.values()}
    parsed, errors = _feedback_errors(rows, items, positions)
    if errors:
        raise ValidationFailed(errors)
    existing = {
        (row.item_id, row.measure_id): row
        for row in MeasureFeedback.objects.filter(item__in=[item for item, *_rest in parsed])
    }
    now = timezone.now()
    created, updated = [], []
    for item, measure_id, list_type_id, outcome, reason in parsed:
        row = existing.get((item.pk, measure_id))
        if row is None:
            row = MeasureFeedback(item=item, measure_id=measure_id, list_type_id=list_type_id, by=by, at=now)
            created.append(row)
        else:
            updated.append(row)
        row.outcome, row.reason, row.by, row.at = outcome, reason, by, now
    MeasureFeedback.objects.bulk_create(created, batch_size=1000)
    MeasureFeedback.objects.bulk_update(updated, ["outcome", "reason", "by", "at"], batch_size=1000)
    audit.record(check, action="credit_check_feedback", by=by, detail={"rows": len(parsed)})
    return created + updated
