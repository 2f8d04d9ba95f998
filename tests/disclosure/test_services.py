"""Filing, re-filing, correction, publication, withdrawal, repair stop and objections (DOMAIN §3, §4, §5, §12)."""

from __future__ import annotations

import datetime

import pytest

from django.utils import timezone

from credit_portal.errors import NotFound, PermissionDenied, TransitionNotAllowed, ValidationFailed
from credit_portal.exchange.models import OutboxEvent
from credit_portal.models import AuditEvent
from disclosure import services
from disclosure.choices import LicenceState, RecordStatus, Timeliness
from disclosure.models import Penalty, RecordVersion
from tests.disclosure.factories import licensing_data, penalty_data
from tests.registry.factories import make_resident_id

pytestmark = pytest.mark.django_db


def events(record, action=None):
    queryset = OutboxEvent.objects.filter(object_id=record.pk, kind=record.upstream_kind)
    return queryset.filter(action=action) if action else queryset


def test_filing_creates_a_draft_with_due_date_subject_and_audit(clerk):
    penalty = services.file_penalty(by=clerk, department=clerk.department, data=penalty_data())
    assert penalty.status == RecordStatus.DRAFT
    assert penalty.publication_due_date == datetime.date(2024, 3, 26)
    assert penalty.is_due_date_provisional is False
    assert penalty.subject.uscc == penalty.uscc
    assert penalty.publication_end_date == datetime.date(2025, 3, 15)
    assert AuditEvent.objects.filter(action="filed", object_id=str(penalty.pk)).count() == 1
    assert not events(penalty).exists()  # nothing goes upstream before publication


def test_a_draft_filed_after_its_deadline_is_overdue_at_once(clerk):
    penalty = services.file_penalty(by=clerk, department=clerk.department, data=penalty_data())
    assert penalty.timeliness == Timeliness.OVERDUE


def test_invalid_filing_is_refused_with_every_error(clerk):
    with pytest.raises(ValidationFailed) as refused:
        services.file_penalty(
            by=clerk, department=clerk.department, data=penalty_data(fine_amount="", document_number="")
        )
    assert {(e.field, e.code) for e in refused.value.errors} >= {
        ("fine_amount", "fine_amount_required"),
        ("document_number", "required"),
    }
    assert not Penalty.objects.exists()


def test_clerk_cannot_file_for_another_department(clerk, department_b):
    with pytest.raises(PermissionDenied):
        services.file_penalty(by=clerk, department=department_b, data=penalty_data())


def test_refiling_the_same_number_updates_the_draft_never_duplicates(clerk):
    first = services.file_penalty(by=clerk, department=clerk.department, data=penalty_data())
    second = services.file_penalty(
        by=clerk, department=clerk.department, data=penalty_data(content="罚款人民币叁万元整。", fine_amount="3")
    )
    assert second.pk == first.pk
    assert Penalty.objects.count() == 1
    second.refresh_from_db()
    assert second.content == "罚款人民币叁万元整。"
    assert second.version == 1


def test_same_number_in_another_department_is_another_record(clerk, clerk_b):
    services.file_penalty(by=clerk, department=clerk.department, data=penalty_data())
    services.file_penalty(by=clerk_b, department=clerk_b.department, data=penalty_data())
    assert Penalty.objects.count() == 2


def test_publishing_stamps_time_timeliness_and_writes_an_outbox_upsert(clerk):
    today = timezone.localdate()
    penalty = services.file_penalty(
        by=clerk, department=clerk.department, data=penalty_data(decision_date=today.isoformat())
    )
    published = services.publish_penalty(penalty=penalty, by=clerk)
    assert published.status == RecordStatus.PUBLISHED
    assert published.published_at is not None
    assert published.timeliness == Timeliness.ON_TIME
    assert events(published, "upsert").count() == 1
    payload = events(published).get().payload
    assert payload["document_number"] == "西青市监罚〔2024〕1号"
    assert payload["source_department_uscc"] == clerk.department.uscc


def test_publishing_after_the_deadline_is_late(clerk):
    penalty = services.file_penalty(by=clerk, department=clerk.department, data=penalty_data())
    assert services.publish_penalty(penalty=penalty, by=clerk).timeliness == Timeliness.LATE


def test_payload_never_carries_id_numbers(clerk):
    number = make_resident_id(seed=9)
    data = penalty_data(
        subject_category="natural_person",
        subject_name="张三明",
        uscc="",
        legal_representative="",
        id_type="01",
        id_number=number,
    )
    penalty = services.file_penalty(by=clerk, department=clerk.department, data=data)
    services.publish_penalty(penalty=penalty, by=clerk)
    payload = events(penalty).get().payload
    assert number not in str(payload)
    assert "id_number" not in payload
    penalty.refresh_from_db()
    assert number not in penalty.id_number_encrypted
    assert penalty.reveal_id_number() == number


def test_correcting_a_published_record_keeps_history_and_writes_an_upsert(clerk):
    penalty = services.file_penalty(by=clerk, department=clerk.department, data=penalty_data())
    services.publish_penalty(penalty=penalty, by=clerk)
    corrected = services.correct_penalty(
        penalty=penalty, by=clerk, changes={"fine_amount": "5", "content": "罚款伍万元。"}, reason="金额笔误"
    )
    assert corrected.version == 2
    assert corrected.status == RecordStatus.PUBLISHED
    old = RecordVersion.objects.get(kind="penalty", record_id=penalty.pk)
    assert old.version == 1 and old.data["content"] == "罚款人民币贰万元整。" and old.reason == "金额笔误"
    assert "id_number_encrypted" not in old.data
    assert events(penalty, "upsert").count() == 2
    assert events(penalty, "upsert").last().payload["fine_amount"] == "5.000000"


def test_refiling_a_published_record_corrects_it(clerk):
    penalty = services.file_penalty(by=clerk, department=clerk.department, data=penalty_data())
    services.publish_penalty(penalty=penalty, by=clerk)
    services.file_penalty(by=clerk, department=clerk.department, data=penalty_data(content="更正后的内容"))
    penalty.refresh_from_db()
    assert (penalty.version, penalty.content) == (2, "更正后的内容")
    assert Penalty.objects.count() == 1


def test_refiling_unchanged_data_writes_no_new_version_or_event(clerk):
    penalty = services.file_penalty(by=clerk, department=clerk.department, data=penalty_data())
    services.publish_penalty(penalty=penalty, by=clerk)
    services.file_penalty(by=clerk, department=clerk.department, data=penalty_data())
    penalty.refresh_from_db()
    assert penalty.version == 1
    assert events(penalty).count() == 1


def test_correction_is_validated_like_a_filing(clerk):
    penalty = services.file_penalty(by=clerk, department=clerk.department, data=penalty_data())
    with pytest.raises(ValidationFailed) as refused:
        services.correct_penalty(penalty=penalty, by=clerk, changes={"fine_amount": "-1"})
    assert refused.value.errors[0].code == "negative_amount"


def test_clerk_of_another_department_cannot_touch_the_record(clerk, clerk_b):
    penalty = services.file_penalty(by=clerk, department=clerk.department, data=penalty_data())
    with pytest.raises(NotFound):
        services.publish_penalty(penalty=penalty, by=clerk_b)
    with pytest.raises(NotFound):
        services.correct_penalty(penalty=penalty, by=clerk_b, changes={"content": "x"})


def test_withdrawing_a_published_record_writes_an_outbox_withdraw(clerk):
    penalty = services.file_penalty(by=clerk, department=clerk.department, data=penalty_data())
    services.publish_penalty(penalty=penalty, by=clerk)
    withdrawn = services.withdraw_penalty(
        penalty=penalty,
        by=clerk,
        reason="复议撤销",
        document="西青复决〔2024〕3号",
        revoked_on=datetime.date(2024, 9, 27),
    )
    assert withdrawn.status == RecordStatus.WITHDRAWN
    assert withdrawn.withdrawal_due_date == datetime.date(2024, 10, 8)  # 3 working days across 国庆 with 调休
    assert events(penalty, "withdraw").count() == 1


def test_withdrawing_a_draft_sends_nothing_upstream(clerk):
    penalty = services.file_penalty(by=clerk, department=clerk.department, data=penalty_data())
    services.withdraw_penalty(penalty=penalty, by=clerk, reason="录入错误", document="说明")
    assert not events(penalty).exists()


def test_withdrawal_needs_reason_and_document(clerk):
    penalty = services.file_penalty(by=clerk, department=clerk.department, data=penalty_data())
    with pytest.raises(ValidationFailed) as refused:
        services.withdraw_penalty(penalty=penalty, by=clerk, reason="", document="")
    assert {e.field for e in refused.value.errors} == {"withdrawal_reason", "withdrawal_document"}


def test_a_withdrawn_record_cannot_be_published_or_refiled(clerk):
    penalty = services.file_penalty(by=clerk, department=clerk.department, data=penalty_data())
    services.withdraw_penalty(penalty=penalty, by=clerk, reason="录入错误", document="说明")
    with pytest.raises(TransitionNotAllowed):
        services.publish_penalty(penalty=penalty, by=clerk)
    with pytest.raises(TransitionNotAllowed) as refused:
        services.file_penalty(by=clerk, department=clerk.department, data=penalty_data())
    assert refused.value.code == "record_closed"


def test_a_warning_only_simple_procedure_penalty_under_2026_rules_is_kept_but_not_published(clerk):
    data = penalty_data(
        penalty_categories="警告",
        fine_amount="",
        procedure="简易程序",
        severity="轻微",
        decision_date="2026-05-06",
        document_number="简易〔2026〕1号",
    )
    penalty = services.file_penalty(by=clerk, department=clerk.department, data=data)
    assert penalty.is_publishable is False
    assert penalty.timeliness == Timeliness.NOT_REQUIRED
    with pytest.raises(services.NotPublishable):
        services.publish_penalty(penalty=penalty, by=clerk)
    penalty.refresh_from_db()
    assert penalty.status == RecordStatus.DRAFT
    assert not Penalty.objects.public().filter(pk=penalty.pk).exists()


def test_licensing_lifecycle_and_withdrawal_marks_it_invalid(clerk):
    licensing = services.file_licensing(by=clerk, department=clerk.department, data=licensing_data())
    assert licensing.publication_end_date == datetime.date(2029, 3, 14)
    services.publish_licensing(licensing=licensing, by=clerk)
    withdrawn = services.withdraw_licensing(
        licensing=licensing, by=clerk, reason="撤回许可", document="撤许〔2024〕1号"
    )
    assert withdrawn.current_state == LicenceState.INVALID
    assert events(licensing, "withdraw").count() == 1


def test_stop_by_repair_after_the_shortest_period(clerk, reviewer):
    penalty = services.file_penalty(by=clerk, department=clerk.department, data=penalty_data())
    services.publish_penalty(penalty=penalty, by=clerk)
    with pytest.raises(services.RepairNotAllowed) as refused:
        services.stop_by_repair(penalty=penalty, by=reviewer, today=datetime.date(2024, 5, 1))
    assert refused.value.code == "shortest_period_not_over"
    stopped = services.stop_by_repair(penalty=penalty, by=reviewer, today=datetime.date(2024, 7, 1))
    assert stopped.status == RecordStatus.STOPPED_BY_REPAIR
    assert events(penalty, "withdraw").count() == 1


def test_objection_mark_and_clear(clerk, reviewer):
    penalty = services.file_penalty(by=clerk, department=clerk.department, data=penalty_data())
    assert services.mark_under_objection(record=penalty, by=None).is_under_objection is True
    assert services.clear_objection(record=penalty, by=reviewer).is_under_objection is False
    assert AuditEvent.objects.filter(object_id=str(penalty.pk), action__startswith="objection_").count() == 2


def test_a_revoked_decision_must_be_withdrawn_within_three_working_days(clerk):
    from credit_portal.models import Notification

    penalty = services.file_penalty(by=clerk, department=clerk.department, data=penalty_data())
    services.publish_penalty(penalty=penalty, by=clerk)
    noted = services.note_penalty_revocation(penalty=penalty, by=clerk, revoked_on=datetime.date(2024, 9, 27))
    assert noted.withdrawal_due_date == datetime.date(2024, 10, 8)
    services.mark_overdue(today=datetime.date(2024, 10, 8))
    assert not Notification.objects.filter(kind="disclosure_revocation_overdue").exists()
    services.mark_overdue(today=datetime.date(2024, 10, 9))
    services.mark_overdue(today=datetime.date(2024, 10, 9))
    assert Notification.objects.filter(user=clerk, kind="disclosure_revocation_overdue").count() == 1
    corrected = services.correct_penalty(penalty=penalty, by=clerk, changes={"content": "变更后的处罚内容"})
    assert corrected.withdrawal_due_date is None and corrected.revoked_on == datetime.date(2024, 9, 27)


def test_only_published_records_take_a_revocation(clerk):
    penalty = services.file_penalty(by=clerk, department=clerk.department, data=penalty_data())
    with pytest.raises(TransitionNotAllowed):
        services.note_penalty_revocation(penalty=penalty, by=clerk, revoked_on=datetime.date(2024, 9, 27))
