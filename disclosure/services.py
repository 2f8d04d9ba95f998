"""Every write of the 双公示 records: filing, correction, publication, withdrawal, repair stop, objections, jobs.

Each function is one state change in one transaction (STYLE §2.3): scoped lock, transition table, validation,
save, audit row and outbox event together. Batch jobs are set-based (STYLE §2.7).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import operator
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, connections, models, router, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from credit_portal import access, audit, crypto
from credit_portal.db import EqualsAny, skip_locked
from credit_portal.errors import DomainError, NotFound, PermissionDenied, TransitionNotAllowed, ValidationFailed
from credit_portal.exchange import outbox
from credit_portal.notifications import notify_users
from credit_portal.workdays import services as workdays
from registry import services as registry_services
from registry.models import Department, Subject, User

from . import policy, signals, transitions, validation
from .choices import LicenceState, RecordKind, RecordStatus, Timeliness
from .models import RECORD_MODELS, SUBJECT_BLOCK, DisclosureRecord, Licensing, Penalty, RecordVersion

Record = Licensing | Penalty

# Cleaned values that are not model fields: stored encrypted through the model's setters.
SECRET_FIELDS = ("id_number", "legal_representative_id_number")
# Fields a version snapshot keeps (every model field of the record except personal and bookkeeping columns).
SNAPSHOT_EXCLUDED = {
    "id",
    "id_number_encrypted",
    "legal_representative_id_number_encrypted",
    "created_at",
    "updated_at",
}


class NotPublishable(DomainError):
    code = "not_publishable"
    default_message = _(
        "按现行公示期规则，该处罚决定不予公示（如简易程序仅给予警告、通报批评），记录已保存但不会公开。"
    )


class DepartmentMismatch(DomainError):
    code = "department_mismatch"


class RepairNotAllowed(DomainError):
    code = "repair_not_allowed"


@dataclass
class BulkResult:
    """The outcome of one row of ``file_records_bulk``: created, updated, corrected, unchanged or failed."""

    index: int
    action: str
    record: Record | None = None
    errors: list[DomainError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


# --- helpers ---------------------------------------------------------------------------------------------------


def _model(kind: str) -> type[DisclosureRecord]:
    return RECORD_MODELS[kind]


def _locked(model: type[DisclosureRecord], pk: int, *, by: User | None) -> Record:
    """The record under a row lock, through the user's scope: outside it a 404 (STYLE §2.5)."""
    queryset = model.objects.all() if by is None else model.objects.visible_to(by)
    record = queryset.select_for_update().filter(pk=pk).first()
    if record is None:
        raise NotFound()
    return record


def _full_clean(record: Record) -> None:
    """Model checks (choices, lengths, named constraints) as DomainErrors naming the field."""
    try:
        record.full_clean(exclude=["subject", "department", "filed_by"])
    except ValidationError as error:
        errors = [
            DomainError(message, code=item.code or "invalid", field=None if name == "__all__" else name)
            for name, items in error.error_dict.items()
            for item in items
            for message in item.messages
        ]
        raise ValidationFailed(errors) from None


def _assign(record: Record, cleaned: Mapping[str, Any]) -> None:
    editable = editable_fields(record)
    for name, value in cleaned.items():
        if name == "id_number":
            record.set_id_number(value or "")
        elif name == "legal_representative_id_number":
            record.set_legal_representative_id_number(value or "")
        elif name in editable:
            setattr(record, name, value)


EDITABLE_FIELDS: dict[str, frozenset[str]] = {
    kind: frozenset(names) - set(SECRET_FIELDS) for kind, names in validation.RECORD_FIELDS.items()
}


def editable_fields(record: Record | type[DisclosureRecord]) -> frozenset[str]:
    """The standard fields a filing sets on the model (ID numbers go through the setters)."""
    return EDITABLE_FIELDS[record.record_kind]


def record_data(record: Record) -> dict[str, Any]:
    """The record as validation input: every standard field, ID numbers in clear (for re-validation only)."""
    data = {name: getattr(record, name) for name in editable_fields(record)}
    data["id_number"] = record.reveal_id_number()
    data["legal_representative_id_number"] = crypto.decrypt(record.legal_representative_id_number_encrypted)
    return data


def changed_fields(record: Record, cleaned: Mapping[str, Any]) -> list[str]:
    """Names of the standard fields whose cleaned value differs from the record's."""
    current = record_data(record)
    return sorted(name for name, value in cleaned.items() if name in current and current[name] != value)


def _snapshot(record: Record) -> dict[str, Any]:
    data = {}
    for model_field in record._meta.concrete_fields:
        if model_field.name in SNAPSHOT_EXCLUDED:
            continue
        value = model_field.value_from_object(record)
        data[model_field.attname] = value if isinstance(value, int | bool | list | type(None)) else str(value)
    return data


def _subject_for(cleaned: Mapping[str, Any], *, by: User, department: Department) -> Subject:
    return registry_services.resolve_subject(
        by=by,
        department=department,
        category=cleaned["subject_category"],
        name=cleaned["subject_name"],
        uscc=cleaned.get("uscc") or "",
        registration_number=cleaned.get("registration_number") or "",
        organization_code=cleaned.get("organization_code") or "",
        tax_registration_number=cleaned.get("tax_registration_number") or "",
        institution_certificate_number=cleaned.get("institution_certificate_number") or "",
        social_org_registration_number=cleaned.get("social_org_registration_number") or "",
        legal_representative=cleaned.get("legal_representative") or "",
        id_type=cleaned.get("id_type") or "",
        id_number=cleaned.get("id_number") or "",
    )


def _check_source_department(data: Mapping[str, Any], department: Department) -> None:
    """A 数据来源单位 code in the input must be the filing department's own (DOMAIN §3)."""
    given = str(data.get("source_department_uscc") or "").strip().upper()
    if given and given != department.uscc:
        raise ValidationFailed(
            [
                DepartmentMismatch(
                    _("数据来源单位统一社会信用代码与本部门（%(department)s，%(uscc)s）不一致。")
                    % {"department": department.name, "uscc": department.uscc},
                    field="source_department_uscc",
                )
            ]
        )


def _schedule(
    record: Record, *, book: policy.PolicyBook, today: datetime.date, due: workdays.Due | None = None
) -> None:
    """Due date (provisional flag carried), publication period and timeliness of a record (DOMAIN §4, §5)."""
    due = due or policy.publication_due(record, book=book)
    record.publication_due_date = due.date
    record.is_due_date_provisional = due.provisional
    policy.apply_period(record, book=book)
    published_on = timezone.localdate(record.published_at) if record.published_at else None
    record.timeliness = policy.timeliness(record, published_on=published_on, today=today)


def _tell_upstream(record: Record, *, action: str) -> None:
    """One outbox event in the same transaction as the change (DOMAIN §12); other apps hear of it too."""
    outbox.enqueue(record, action=action)
    signals.public_records_changed.send(sender=type(record), ids=[record.pk])


def _tell_upstream_many(model: type[DisclosureRecord], ids: list[int], *, action: str) -> None:
    """A batch's outbox events in one INSERT; other apps hear of the batch at once (set-based)."""
    outbox.enqueue_many(model, ids, action=action)
    if ids:
        signals.public_records_changed.send(sender=model, ids=list(ids))


def _outbox_upsert(record: Record) -> None:
    _tell_upstream(record, action=outbox.Action.UPSERT)


# --- filing ----------------------------------------------------------------------------------------------------


def _file(
    *, kind: str, by: User, department: Department, data: Mapping[str, Any], today: datetime.date | None
) -> Record:
    access.require_department(by, department)
    today = today or timezone.localdate()
    _check_source_department(data, department)
    cleaned = validation.clean_record(kind, data, today=today)
    model = _model(kind)
    existing = (
        model.objects.select_for_update()
        .filter(department=department, document_number=cleaned["document_number"])
        .first()
    )
    if existing is not None:
        # DOMAIN §3: the same number in the same department updates the record, never duplicates it.
        transitions.require_correctable(existing)
        return _apply_correction(existing, cleaned, by=by, today=today, reason=gettext("重新报送"))
    record = model(department=department, filed_by=by)
    record.subject = _subject_for(cleaned, by=by, department=department)
    _assign(record, cleaned)
    _schedule(record, book=policy.PolicyBook(), today=today)
    _full_clean(record)
    record.save()
    audit.record(record, action="filed", by=by)
    return record


@transaction.atomic
def file_licensing(
    *, by: User, department: Department, data: Mapping[str, Any], today: datetime.date | None = None
) -> Licensing:
    """File a licensing decision (or update the one with its number) and start its clock (DOMAIN §3, §4)."""
    return _file(kind=RecordKind.LICENSING, by=by, department=department, data=data, today=today)


@transaction.atomic
def file_penalty(
    *, by: User, department: Department, data: Mapping[str, Any], today: datetime.date | None = None
) -> Penalty:
    """File a penalty decision (or update the one with its number) and start its clock (DOMAIN §3, §4)."""
    return _file(kind=RecordKind.PENALTY, by=by, department=department, data=data, today=today)


# --- correction ------------------------------------------------------------------------------------------------


def _apply_correction(
    record: Record, cleaned: Mapping[str, Any], *, by: User, today: datetime.date, reason: str = ""
) -> Record:
    """Update a draft in place; give a published record a new version, keep the old one, tell upstream."""
    changes = changed_fields(record, cleaned)
    if not changes:
        return record
    subject_changed = any(name in SUBJECT_BLOCK or name in ("id_type", "id_number") for name in changes)
    was_published = record.status == RecordStatus.PUBLISHED
    if was_published:
        RecordVersion.objects.create(
            kind=record.record_kind,
            record_id=record.pk,
            version=record.version,
            data=_snapshot(record),
            reason=reason,
            changed_by=by if getattr(by, "is_authenticated", False) else None,
        )
        record.version += 1
        record.corrected_at = timezone.now()
        # DOMAIN §4: a correction after a revocation meets the 3-working-day duty; the revocation date stays.
        record.withdrawal_due_date = None
    _assign(record, cleaned)
    if subject_changed:
        record.subject = _subject_for(cleaned, by=by, department=record.department)
    _schedule(record, book=policy.PolicyBook(), today=today)
    _full_clean(record)
    record.save()
    audit.record(
        record,
        action="corrected" if was_published else "updated",
        by=by,
        detail={"fields": changes, "version": record.version, "reason": reason},
    )
    if was_published:
        _outbox_upsert(record)
    return record


def _correct(*, kind: str, pk: int, by: User, changes: Mapping[str, Any], reason: str, today) -> Record:
    record = _locked(_model(kind), pk, by=by)
    access.require_department(by, record.department)
    transitions.require_correctable(record)
    today = today or timezone.localdate()
    data = {**record_data(record), **changes}
    cleaned = validation.clean_record(kind, data, today=today)
    if cleaned["document_number"] != record.document_number:
        clash = _model(kind).objects.filter(department=record.department, document_number=cleaned["document_number"])
        if clash.exclude(pk=record.pk).exists():
            raise ValidationFailed(
                [
                    DomainError(
                        _("本部门已有文书号相同的记录，请修改原记录。"),
                        code="duplicate_document_number",
                        field="document_number",
                    )
                ]
            )
    return _apply_correction(record, cleaned, by=by, today=today, reason=reason)


@transaction.atomic
def correct_licensing(
    *, licensing: Licensing, by: User, changes: Mapping[str, Any], reason: str = "", today: datetime.date | None = None
) -> Licensing:
    """Correct a licensing record: a draft in place, a published one as a new version (DOMAIN §3)."""
    return _correct(kind=RecordKind.LICENSING, pk=licensing.pk, by=by, changes=changes, reason=reason, today=today)


@transaction.atomic
def correct_penalty(
    *, penalty: Penalty, by: User, changes: Mapping[str, Any], reason: str = "", today: datetime.date | None = None
) -> Penalty:
    """Correct a penalty record: a draft in place, a published one as a new version (DOMAIN §3)."""
    return _correct(kind=RecordKind.PENALTY, pk=penalty.pk, by=by, changes=changes, reason=reason, today=today)


# --- publication -----------------------------------------------------------------------------------------------


def _publish(*, kind: str, pk: int, by: User) -> Record:
    record = _locked(_model(kind), pk, by=by)
    access.require_department(by, record.department)
    policy.apply_period(record)  # the rules in force now decide (an administrator may have changed them)
    if not record.is_publishable:
        raise NotPublishable()  # kept as filed, never public (DOMAIN §5)
    transitions.move(record, RecordStatus.PUBLISHED)
    record.published_at = timezone.now()
    record.timeliness = policy.timeliness(record, published_on=timezone.localdate(record.published_at))
    fields = ["status", "published_at", "timeliness", "is_publishable", "publication_end_date", "updated_at"]
    if kind == RecordKind.PENALTY:
        fields += ["shortest_end_date", "is_repairable"]
    record.save(update_fields=fields)
    audit.record(record, action="published", by=by, detail={"timeliness": record.timeliness})
    _outbox_upsert(record)
    return record


@transaction.atomic
def publish_licensing(*, licensing: Licensing, by: User) -> Licensing:
    """Publish a filed licensing decision and queue it for the upstream platform (DOMAIN §4, §12)."""
    return _publish(kind=RecordKind.LICENSING, pk=licensing.pk, by=by)


@transaction.atomic
def publish_penalty(*, penalty: Penalty, by: User) -> Penalty:
    """Publish a filed penalty, refusing those the rules keep unpublished (DOMAIN §4, §5, §12)."""
    return _publish(kind=RecordKind.PENALTY, pk=penalty.pk, by=by)


# --- withdrawal ------------------------------------------------------------------------------------------------


def _withdraw(*, kind: str, pk: int, by: User, reason: str, document: str, revoked_on: datetime.date | None) -> Record:
    record = _locked(_model(kind), pk, by=by)
    access.require_department(by, record.department)
    errors = []
    if not (reason or "").strip():
        errors.append(DomainError(_("请填写撤销原因。"), code="required", field="withdrawal_reason"))
    if not (document or "").strip():
        errors.append(
            DomainError(_("请填写撤销依据文书（如撤销决定书文号）。"), code="required", field="withdrawal_document")
        )
    if errors:
        raise ValidationFailed(errors)
    was_published = record.status == RecordStatus.PUBLISHED
    transitions.move(record, RecordStatus.WITHDRAWN)
    record.withdrawn_at = timezone.now()
    record.withdrawal_reason = reason.strip()
    record.withdrawal_document = document.strip()
    fields = ["status", "withdrawn_at", "withdrawal_reason", "withdrawal_document", "updated_at"]
    if revoked_on is not None:
        # DOMAIN §4: withdrawn within 3 working days (per policy) of the revocation; the due date is kept.
        record.revoked_on = revoked_on
        record.withdrawal_due_date = policy.withdrawal_due(record, revoked_on=revoked_on).date
        fields += ["revoked_on", "withdrawal_due_date"]
    if kind == RecordKind.LICENSING:
        record.current_state = LicenceState.INVALID
        fields.append("current_state")
    record.save(update_fields=fields)
    audit.record(record, action="withdrawn", by=by, detail={"reason": record.withdrawal_reason})
    if was_published:
        _tell_upstream(record, action=outbox.Action.WITHDRAW)
    return record


@transaction.atomic
def withdraw_licensing(
    *, licensing: Licensing, by: User, reason: str, document: str, revoked_on: datetime.date | None = None
) -> Licensing:
    """Withdraw (撤销) a licensing record with reason and document; upstream is told if it was public (DOMAIN §3)."""
    return _withdraw(
        kind=RecordKind.LICENSING, pk=licensing.pk, by=by, reason=reason, document=document, revoked_on=revoked_on
    )


@transaction.atomic
def withdraw_penalty(
    *, penalty: Penalty, by: User, reason: str, document: str, revoked_on: datetime.date | None = None
) -> Penalty:
    """Withdraw (撤销) a penalty record with reason and document; upstream is told if it was public (DOMAIN §3)."""
    return _withdraw(
        kind=RecordKind.PENALTY, pk=penalty.pk, by=by, reason=reason, document=document, revoked_on=revoked_on
    )


def _note_revocation(*, kind: str, pk: int, by: User, revoked_on: datetime.date) -> Record:
    record = _locked(_model(kind), pk, by=by)
    access.require_department(by, record.department)
    if record.status != RecordStatus.PUBLISHED:
        raise TransitionNotAllowed(_("只有已公示的记录需要登记决定被撤销或变更。"), code="not_published")
    record.revoked_on = revoked_on
    record.withdrawal_due_date = policy.withdrawal_due(record, revoked_on=revoked_on).date
    record.save(update_fields=["revoked_on", "withdrawal_due_date", "updated_at"])
    audit.record(record, action="revocation_noted", by=by, detail={"revoked_on": revoked_on.isoformat()})
    return record


@transaction.atomic
def note_licensing_revocation(*, licensing: Licensing, by: User, revoked_on: datetime.date) -> Licensing:
    """Record that a published licence decision was revoked or changed: withdraw or correct within 3 working days."""
    return _note_revocation(kind=RecordKind.LICENSING, pk=licensing.pk, by=by, revoked_on=revoked_on)


@transaction.atomic
def note_penalty_revocation(*, penalty: Penalty, by: User, revoked_on: datetime.date) -> Penalty:
    """Record that a published penalty decision was revoked or changed: withdraw or correct within 3 working days."""
    return _note_revocation(kind=RecordKind.PENALTY, pk=penalty.pk, by=by, revoked_on=revoked_on)


# --- repair and objections (called by the repair app) ----------------------------------------------------------


@transaction.atomic
def stop_by_repair(*, penalty: Penalty, by: User | None, today: datetime.date | None = None) -> Penalty:
    """Stop publishing a penalty early after a granted repair, and tell upstream (DOMAIN §5, §8)."""
    record = _locked(Penalty, penalty.pk, by=None)
    today = today or timezone.localdate()
    if not record.is_repairable:
        raise RepairNotAllowed(_("该处罚属于不可修复的特定严重失信情形，须公示期满。"), code="not_repairable")
    if record.shortest_end_date and today < record.shortest_end_date:
        raise RepairNotAllowed(
            _("最短公示期至%(date)s届满，届满后方可停止公示。") % {"date": record.shortest_end_date.isoformat()},
            code="shortest_period_not_over",
        )
    transitions.move(record, RecordStatus.STOPPED_BY_REPAIR)
    record.stopped_at = timezone.now()
    record.save(update_fields=["status", "stopped_at", "updated_at"])
    audit.record(record, action="stopped_by_repair", by=by)
    _tell_upstream(record, action=outbox.Action.WITHDRAW)
    return record


@transaction.atomic
def mark_under_objection(*, record: Record, by: User | None) -> Record:
    """Mark a record "异议处理中" at once, until the objection is closed (DOMAIN §8)."""
    locked = _locked(type(record), record.pk, by=None)
    if not locked.is_under_objection:
        locked.is_under_objection = True
        locked.objection_marked_at = timezone.now()
        locked.save(update_fields=["is_under_objection", "objection_marked_at", "updated_at"])
        audit.record(locked, action="objection_marked", by=by)
    return locked


@transaction.atomic
def clear_objection(*, record: Record, by: User | None) -> Record:
    """Remove the "异议处理中" mark when the objection is closed (DOMAIN §8)."""
    locked = _locked(type(record), record.pk, by=None)
    if locked.is_under_objection:
        locked.is_under_objection = False
        locked.objection_marked_at = None
        locked.save(update_fields=["is_under_objection", "objection_marked_at", "updated_at"])
        audit.record(locked, action="objection_cleared", by=by)
    return locked


# --- bulk filing (imports) -------------------------------------------------------------------------------------


def file_records_bulk(
    *,
    by: User,
    department: Department,
    kind: str,
    rows: list[dict[str, Any]],
    publish: bool = False,
    today: datetime.date | None = None,
    subjects: list[registry_services.SubjectInput | None] | None = None,
) -> list[BulkResult]:
    """File a batch of cleaned rows set-based: new numbers inserted, known ones updated, never duplicated.

    ``rows`` come from ``validation.clean_*_row`` without errors; ``subjects`` may give each row's parsed subject
    block (``validation.clean_row_for_filing``) so that it is not parsed again. One result per row, in order. With
    ``publish`` the publishable drafts are published at once; upstream events and audit rows are written per batch.
    New records are written as plain rows (no model instance each; on PostgreSQL by COPY into a staging table and
    one INSERT … SELECT), known numbers through the models, as corrections.
    """
    access.require_department(by, department)
    if publish and not by.has_perm(f"disclosure.publish_{kind}"):
        raise PermissionDenied(_("您没有公示此类记录的权限，请不勾选“导入后直接公示”。"))
    today = today or timezone.localdate()
    model = _model(kind)
    results: list[BulkResult | None] = [None] * len(rows)
    for index, row in enumerate(rows):
        try:
            _check_source_department(row, department)
        except ValidationFailed as failed:
            results[index] = BulkResult(index, "failed", errors=failed.errors)
    seen: dict[str, int] = {}
    for index, row in enumerate(rows):
        if results[index] is not None:
            continue
        number = row["document_number"]
        if number in seen:
            results[index] = BulkResult(
                index,
                "failed",
                errors=[
                    DomainError(
                        _("文书号与第%(other)d条记录重复。") % {"other": seen[number] + 1},
                        code="duplicate_document_number_in_batch",
                        field="document_number",
                    )
                ],
            )
        else:
            seen[number] = index
    pending = [index for index in range(len(rows)) if results[index] is None]
    book = policy.PolicyBook()
    now = timezone.now()
    with transaction.atomic():
        resolved = registry_services.resolve_subjects(
            by=by,
            rows=[rows[index] for index in pending],
            department=department,
            parsed=None if subjects is None else [subjects[index] for index in pending],
        )
        existing = {
            record.document_number: record
            for record in model.objects.select_for_update().filter(
                EqualsAny("document_number", [rows[index]["document_number"] for index in pending]),
                department=department,
            )
        }
        dues = _due_dates(
            book, department=department, kind=kind, dates=[rows[index]["decision_date"] for index in pending]
        )
        new_rows = _NewRows(model, department=department, by=by, book=book, dues=dues, today=today, now=now)
        to_update: list[Record] = []
        versions: list[RecordVersion] = []
        upserts: list[Record] = []
        for index, subject in zip(pending, resolved, strict=True):
            row = rows[index]
            if isinstance(subject, DomainError):
                results[index] = BulkResult(index, "failed", errors=getattr(subject, "errors", None) or [subject])
                continue
            record = existing.get(row["document_number"])
            if record is not None:
                if record.status not in transitions.CORRECTABLE:
                    results[index] = BulkResult(
                        index,
                        "failed",
                        errors=[
                            DomainError(
                                _("文书号相同的记录已“%(status)s”，不能再修改。")
                                % {"status": RecordStatus(record.status).label},
                                code="record_closed",
                                field="document_number",
                            )
                        ],
                    )
                    continue
                if not changed_fields(record, row) and not (publish and record.status == RecordStatus.DRAFT):
                    results[index] = BulkResult(index, "unchanged", record)
                    continue
                if record.status == RecordStatus.PUBLISHED:
                    versions.append(
                        RecordVersion(
                            kind=kind,
                            record_id=record.pk,
                            version=record.version,
                            data=_snapshot(record),
                            reason=gettext("批量导入更正"),
                            changed_by=by,
                        )
                    )
                    record.version += 1
                    record.corrected_at = now
                    upserts.append(record)
                    action = "corrected"
                else:
                    action = "updated"
                to_update.append(record)
            else:
                new_rows.add(index, row, subject, publish=publish)
                continue
            record.subject = subject
            _assign(record, row)
            _schedule(record, book=book, today=today, due=dues[row["decision_date"]])
            if publish and record.status == RecordStatus.DRAFT and record.is_publishable:
                record.status = RecordStatus.PUBLISHED
                record.published_at = now
                record.timeliness = policy.timeliness(record, published_on=today)
                if record not in upserts:
                    upserts.append(record)
            record.updated_at = now
            results[index] = BulkResult(index, action, record)
        created_ids, published_ids = new_rows.insert(results)
        if to_update:
            model.objects.bulk_update(to_update, _bulk_update_fields(model), batch_size=500)
        RecordVersion.objects.bulk_create(versions, batch_size=1000)
        _tell_upstream_many(model, [record.pk for record in upserts] + published_ids, action=outbox.Action.UPSERT)
        audit.record_many(model, created_ids, action="filed", by=by, detail={"bulk": True})
        audit.record_many(model, [record.pk for record in to_update], action="updated", by=by, detail={"bulk": True})
    return results  # type: ignore[return-value]


class _CreatedResult(BulkResult):
    """A created row's result: its model instance is built only when a caller asks for ``record``."""

    def __init__(self, index: int, model: type[DisclosureRecord], values: dict[str, Any]):
        self.index = index
        self.action = "created"
        self.errors = []
        self._model = model
        self._values = values
        self._record: Record | None = None

    @property
    def record(self) -> Record | None:
        if self._record is None and self._values.get("id") is not None:
            record = self._model(**self._values)
            record._state.adding = False
            record._state.db = connection.alias
            self._record = record
        return self._record

    @record.setter
    def record(self, value: Record | None) -> None:
        self._record = value


class _NewRows:
    """The new records of one bulk filing as column values (attname → value), then inserted set-based.

    Each row gets what ``_file`` gives a new record: the model's defaults, the cleaned standard fields, the ID
    numbers encrypted and masked (never in clear), the subject, the due date, the publication period and the
    timeliness (``policy``), published at once with ``publish`` when publishable.
    """

    def __init__(self, model, *, department: Department, by: User, book, dues, today, now):
        self.model = model
        self.kind = model.record_kind
        self.book, self.dues, self.today, self.now = book, dues, today, now
        blank = model(department=department, filed_by=by)
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.template = {f.attname: getattr(blank, f.attname) for f in self.fields}
        # Defaults that are new lists or dicts per instance (JSONField default=list) are copied per row.
        self.mutable = [name for name, value in self.template.items() if isinstance(value, list | dict)]
        self.editable = editable_fields(model)
        self.rows: list[tuple[int, dict[str, Any]]] = []

    def add(self, index: int, row: Mapping[str, Any], subject: Subject, *, publish: bool) -> None:
        values = dict(self.template)
        for name in self.mutable:
            values[name] = type(values[name])()
        editable = self.editable
        for name, value in row.items():
            if name in editable:
                values[name] = value
        if "id_number" in row:
            values.update(self.model.id_number_columns(row["id_number"] or ""))
        if "legal_representative_id_number" in row:
            values["legal_representative_id_number_encrypted"] = crypto.encrypt(
                row["legal_representative_id_number"] or ""
            )
        values["subject_id"] = subject.pk
        due = self.dues[values["decision_date"]]
        values["publication_due_date"] = due.date
        values["is_due_date_provisional"] = due.provisional
        values.update(policy.period_columns(self.kind, values, book=self.book))
        values["timeliness"] = policy.timeliness_of(
            is_publishable=values["is_publishable"], due=due.date, today=self.today
        )
        if publish and values["status"] == RecordStatus.DRAFT and values["is_publishable"]:
            values["status"] = RecordStatus.PUBLISHED
            values["published_at"] = self.now
            values["timeliness"] = policy.timeliness_of(is_publishable=True, due=due.date, published_on=self.today)
        values["created_at"] = values["updated_at"] = self.now
        self.rows.append((index, values))

    def insert(self, results: list) -> tuple[list[int], list[int]]:
        """Insert the rows, set each row's result; (ids created, ids published at once)."""
        if not self.rows:
            return [], []
        if connection.vendor == "postgresql" and connection.Database.__name__ == "psycopg2":
            ids = _copy_insert(self.model, self.fields, [values for _index, values in self.rows])
        else:
            records = [self.model(**values) for _index, values in self.rows]
            insert_records(self.model, records)
            ids = {record.document_number: record.pk for record in records}
        created: list[int] = []
        published: list[int] = []
        for index, values in self.rows:
            pk = ids.get(values["document_number"])
            if pk is None:  # filed meanwhile by another import of the department: refused like a duplicate
                results[index] = BulkResult(index, "failed", errors=[_duplicate_number_error(self.model)])
                continue
            values["id"] = pk
            created.append(pk)
            if values["published_at"] is not None:
                published.append(pk)
            results[index] = _CreatedResult(index, self.model, values)
        return created, published


def _duplicate_number_error(model: type[DisclosureRecord]) -> DomainError:
    """The model's own (department, document number) constraint error."""
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and set(constraint.fields) == {
            "department",
            "document_number",
        }:
            return DomainError(
                constraint.violation_error_message, code=constraint.violation_error_code, field="document_number"
            )
    return DomainError(_("本部门已有文书号相同的记录。"), code="duplicate_document_number", field="document_number")


class _Null:
    """NULL in a COPY csv stream: written unquoted and empty, while every text is quoted (QUOTE_NONNUMERIC)."""

    __slots__ = ()

    def __float__(self) -> float:  # makes the csv writer treat it as a number: not quoted
        return 0.0

    def __str__(self) -> str:
        return ""


_NULL = _Null()


def _copy_insert(model: type[DisclosureRecord], fields: list[models.Field], rows: list[dict]) -> dict[str, int]:
    """New records by COPY into a temporary staging table and one INSERT … SELECT; document number → id.

    COPY is the fastest way into PostgreSQL; the staging table lets the final INSERT skip a number another
    import filed meanwhile (ON CONFLICT DO NOTHING) and return the ids. The INSERT goes through Django's cursor,
    so that query counting sees it; the COPY through the driver's.
    """
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    stage = quote(f"{model._meta.db_table}_import_stage")
    columns = ", ".join(quote(f.column) for f in fields)
    json_positions = [position for position, f in enumerate(fields) if isinstance(f, models.JSONField)]
    encoders = {position: fields[position].encoder for position in json_positions}
    values_of = operator.itemgetter(*(f.attname for f in fields))
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
    null = _NULL
    for values in rows:
        row = [null if value is None else value for value in values_of(values)]
        for position in json_positions:
            if row[position] is not null:
                row[position] = json.dumps(row[position], cls=encoders[position])
        writer.writerow(row)
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{stage}")
        cursor.execute(f"CREATE TEMPORARY TABLE {stage} ON COMMIT DROP AS SELECT {columns} FROM {table} WITH NO DATA")
        cursor.cursor.copy_expert(f"COPY {stage} ({columns}) FROM STDIN WITH (FORMAT csv)", buffer)
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {stage} "
            "ON CONFLICT (department_id, document_number) DO NOTHING RETURNING document_number, id"
        )
        ids = dict(cursor.fetchall())
        cursor.execute(f"DROP TABLE {stage}")
    return ids


# Columns whose Python value the database driver takes as is: no per-value ORM conversion on the import path.
_PLAIN_FIELDS = (models.CharField, models.TextField, models.BooleanField, models.IntegerField, models.ForeignKey)


def insert_records(model: type[DisclosureRecord], records: list[Record]) -> None:
    """INSERT new records in one statement per 1,000 rows, setting their primary keys.

    Django's ``bulk_create`` compiles every value through the field API (most of an import's time at 100,000
    rows); here only dates, amounts and JSON go through it, and PostgreSQL gets a multi-row VALUES with
    RETURNING (psycopg2's execute_values), SQLite a native executemany. Other backends use ``bulk_create``.
    """
    if not records:
        return
    now = timezone.now()
    for record in records:
        record.created_at = record.created_at or now
        record.updated_at = now
    if connection.vendor not in ("postgresql", "sqlite") or connection.Database.__name__ != (
        "psycopg2" if connection.vendor == "postgresql" else "sqlite3.dbapi2"
    ):
        model.objects.bulk_create(records, batch_size=1000)
        return
    db = connections[router.db_for_write(model)]  # the real connection: the proxy costs a lookup per value
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    if connection.vendor == "postgresql":
        rows = _postgresql_rows(fields, records, db)
    else:
        plain = [isinstance(f, _PLAIN_FIELDS) for f in fields]
        rows = []
        for record in records:
            row = []
            for model_field, is_plain in zip(fields, plain, strict=True):
                value = getattr(record, model_field.attname)
                if is_plain:
                    row.append(value if value is None or type(value) in (str, int, bool) else _plain_value(value))
                else:
                    row.append(model_field.get_db_prep_save(value, db))
            rows.append(tuple(row))
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            from psycopg2.extras import execute_values

            ids = execute_values(
                cursor.cursor,
                f"INSERT INTO {table} ({columns}) VALUES %s RETURNING id",
                rows,
                page_size=1000,
                fetch=True,
            )
            for record, (pk,) in zip(records, ids, strict=True):
                record.pk = pk
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)
            by_number: dict[tuple[int, str], int] = {}
            numbers = [record.document_number for record in records]
            for start in range(0, len(numbers), 500):
                found = model.objects.filter(
                    department_id__in={record.department_id for record in records},
                    document_number__in=numbers[start : start + 500],
                ).values_list("department_id", "document_number", "pk")
                by_number.update({(department_id, number): pk for department_id, number, pk in found})
            for record in records:
                record.pk = by_number[(record.department_id, record.document_number)]
    for record in records:
        record._state.adding = False
        record._state.db = connection.alias


# Types psycopg2 adapts as they are (an aware datetime, a Decimal and a date included): no field API per value.
_NATIVE_TYPES = frozenset({str, int, bool, type(None), datetime.date, datetime.datetime, Decimal})


def _postgresql_rows(fields: list[models.Field], records: list[Record], db) -> list[tuple]:
    """The records as tuples for psycopg2: values read at once (attrgetter), only the others (JSON, enum members)
    through their field, so that the cost per row is a few C calls rather than one Python call per column."""
    values_of = operator.attrgetter(*(f.attname for f in fields))
    rows = []
    for record in records:
        row = values_of(record)
        if not all(type(value) in _NATIVE_TYPES for value in row):
            row = tuple(
                value
                if type(value) in _NATIVE_TYPES
                else (_plain_value(value) if isinstance(field, _PLAIN_FIELDS) else field.get_db_prep_save(value, db))
                for field, value in zip(fields, row, strict=True)
            )
        rows.append(row)
    return rows


def _plain_value(value: Any) -> Any:
    if isinstance(value, bool | int):
        return value
    return str(value)  # TextChoices members and other str subclasses: their plain value


def _due_dates(
    book: policy.PolicyBook, *, department: Department, kind: str, dates: Iterable[datetime.date]
) -> dict[datetime.date, workdays.Due]:
    """Due dates for many decision dates: one calendar snapshot per distinct number of days."""
    by_days: dict[int, set[datetime.date]] = {}
    for day in set(dates):
        by_days.setdefault(book.deadline_days(department_id=department.pk, kind=kind, on=day), set()).add(day)
    dues: dict[datetime.date, workdays.Due] = {}
    for days, starts in by_days.items():
        dues.update(workdays.add_working_days_many(starts, days))
    return dues


def _bulk_update_fields(model: type[DisclosureRecord]) -> list[str]:
    skip = {"id", "department", "created_at", "filed_by"}
    return [f.name for f in model._meta.concrete_fields if f.name not in skip]


# --- periodic jobs (set-based, STYLE §2.7) ---------------------------------------------------------------------


def _clerks_of(department_id: int) -> list[int]:
    return list(
        User.objects.filter(
            department_id=department_id, is_active=True, groups__name=access.GROUP_NAMES[access.Role.CLERK]
        ).values_list("pk", flat=True)
    )


def mark_overdue(*, today: datetime.date) -> int:
    """Mark unpublished records past their due date overdue and tell their departments' clerks once (DOMAIN §4)."""
    per_department: Counter[int] = Counter()
    marked = 0
    with transaction.atomic():
        for model in (Licensing, Penalty):
            due = model.objects.awaiting_publication().filter(
                timeliness=Timeliness.PENDING, publication_due_date__lt=today
            )
            for department_id, count in due.values_list("department_id").annotate(count=Count("pk")).order_by():
                per_department[department_id] += count
            marked += due.update(timeliness=Timeliness.OVERDUE, updated_at=timezone.now())
    link = reverse("disclosure-compliance")
    _notify_unwithdrawn_revocations(today=today, link=link)
    for department_id, count in per_department.items():
        notify_users(
            _clerks_of(department_id),
            kind="disclosure_overdue",
            message=gettext("本部门有%(count)d条双公示记录已超过公示期限仍未公示，请尽快公示。") % {"count": count},
            link=link,
            dedupe_key=f"disclosure-overdue:{department_id}:{today.isoformat()}",
        )
    return marked


def _notify_unwithdrawn_revocations(*, today: datetime.date, link: str) -> None:
    """Published records whose decision was revoked more than 3 working days ago (DOMAIN §4): tell the clerks once a day."""
    per_department: Counter[int] = Counter()
    for model in (Licensing, Penalty):
        late = model.objects.filter(status=RecordStatus.PUBLISHED, withdrawal_due_date__lt=today)
        for department_id, count in late.values_list("department_id").annotate(count=Count("pk")).order_by():
            per_department[department_id] += count
    for department_id, count in per_department.items():
        notify_users(
            _clerks_of(department_id),
            kind="disclosure_revocation_overdue",
            message=gettext("本部门有%(count)d条已被撤销或变更的决定超过期限仍在公示，请撤销或更正。")
            % {"count": count},
            link=link,
            dedupe_key=f"disclosure-revocation:{department_id}:{today.isoformat()}",
        )


def send_deadline_reminders(*, today: datetime.date) -> int:
    """Remind clerks of records due within the policy's reminder days (2 working days by default, DOMAIN §4)."""
    book = policy.PolicyBook()
    per_department: Counter[int] = Counter()
    for model in (Licensing, Penalty):
        days = book.reminder_days(department_id=None, kind=model.record_kind, on=today)
        if not days:
            continue
        horizon = workdays.add_working_days(today, days).date
        due = model.objects.awaiting_publication().filter(
            timeliness=Timeliness.PENDING, publication_due_date__gte=today, publication_due_date__lte=horizon
        )
        for department_id, count in due.values_list("department_id").annotate(count=Count("pk")).order_by():
            per_department[department_id] += count
    link = reverse("disclosure-compliance")
    for department_id, count in per_department.items():
        notify_users(
            _clerks_of(department_id),
            kind="disclosure_reminder",
            message=gettext("本部门有%(count)d条双公示记录将在2个工作日内到期，请及时公示。") % {"count": count},
            link=link,
            dedupe_key=f"disclosure-reminder:{department_id}:{today.isoformat()}",
        )
    return sum(per_department.values())


def refresh_provisional_due_dates(*, today: datetime.date) -> int:
    """Recompute due dates computed before the year's official schedule was entered (DOMAIN §4).

    Grouped by department and decision date: one calendar computation and a few UPDATEs per group, never a save
    per record. Timeliness follows the new date (a record published by it is on time after all).
    """
    book = policy.PolicyBook()
    refreshed = 0
    for model in (Licensing, Penalty):
        provisional = model.objects.filter(is_due_date_provisional=True)
        groups = provisional.values_list("department_id", "decision_date").distinct().order_by()
        for department_id, decision_date in groups:
            days = book.deadline_days(department_id=department_id, kind=model.record_kind, on=decision_date)
            due = workdays.add_working_days(decision_date, days)
            if due.provisional:
                continue  # still no official schedule: nothing new to learn
            with transaction.atomic():
                group = model.objects.filter(department_id=department_id, decision_date=decision_date)
                refreshed += group.filter(is_due_date_provisional=True).update(
                    publication_due_date=due.date, is_due_date_provisional=False, updated_at=timezone.now()
                )
                publishable = group.filter(is_publishable=True, publication_due_date=due.date)
                published = publishable.filter(published_at__isnull=False, status__in=CORRECTABLE_OR_CLOSED)
                published.filter(published_at__date__lte=due.date).update(timeliness=Timeliness.ON_TIME)
                published.filter(published_at__date__gt=due.date).update(timeliness=Timeliness.LATE)
                drafts = publishable.filter(status=RecordStatus.DRAFT)
                drafts.filter(publication_due_date__lt=today).update(timeliness=Timeliness.OVERDUE)
                drafts.filter(publication_due_date__gte=today).update(timeliness=Timeliness.PENDING)
    return refreshed


# Statuses a record reaches only through publication keep their on-time/late verdict.
CORRECTABLE_OR_CLOSED = (
    RecordStatus.PUBLISHED,
    RecordStatus.WITHDRAWN,
    RecordStatus.EXPIRED,
    RecordStatus.STOPPED_BY_REPAIR,
)


def expire_records(*, today: datetime.date, batch_size: int = 5000) -> int:
    """Stop showing penalties past their longest period and licences past validity; tell upstream (DOMAIN §5)."""
    expired = 0
    jobs = (
        (Penalty, {"publication_end_date__lt": today}, {}),
        (Licensing, {"valid_to__lt": today}, {"current_state": LicenceState.INVALID}),
    )
    for model, condition, extra in jobs:
        # No ORDER BY: the model's default order made the select sort or walk an index over every due row.
        due = model.objects.filter(status=RecordStatus.PUBLISHED, **condition).order_by()
        # One scan finds them all (ids only); each batch then locks its own and checks them again (a record corrected
        # or withdrawn meanwhile is left alone). A batch that re-scanned for the next due rows read the table once
        # per batch: 9 scans for a month's catch-up at 3,000,000 records.
        candidates = list(due.values_list("pk", flat=True))
        for start in range(0, len(candidates), batch_size):
            with transaction.atomic():
                batch = due.filter(EqualsAny("pk", candidates[start : start + batch_size]))
                ids = list(batch.select_for_update(**skip_locked()).values_list("pk", flat=True))
                if not ids:
                    continue
                expired += model.objects.filter(EqualsAny("pk", ids)).update(
                    status=RecordStatus.EXPIRED, updated_at=timezone.now(), **extra
                )
                _tell_upstream_many(model, ids, action=outbox.Action.WITHDRAW)  # one INSERT per batch
                audit.record_many(model, ids, action="expired")
    return expired
