"""The black- and red-list workflows of DOMAIN §6, step by step, through the services."""

from __future__ import annotations

from datetime import date

import pytest

from credit_portal.errors import NotFound, PermissionDenied, TransitionNotAllowed
from credit_portal.exchange.models import OutboxEvent
from sanctions import services
from sanctions.choices import EntryStatus, RemovalReason
from sanctions.errors import ErrorCode, OverlappingEntry, SanctionsError
from sanctions.models import ListEntry, ListEntryStep
from tests.registry.factories import SubjectFactory

from .factories import list_type

pytestmark = pytest.mark.django_db

FRIDAY = date(2026, 11, 20)


def _propose(clerk, subject=None, code="samr_serious"):
    return services.propose_listing(
        by=clerk,
        department=clerk.department,
        list_type=list_type(code),
        subject=subject or SubjectFactory(),
        reason="销售不合格食品，受到较重行政处罚。",
    )


def test_black_list_entry_goes_through_every_step_with_a_dated_step_row_each(clerk, reviewer):
    entry = _propose(clerk)
    entry = services.serve_notice(entry=entry, by=clerk, notice_date=FRIDAY, document_number="津西市监告〔2026〕8号")
    entry = services.record_statement(entry=entry, by=clerk, statement="当事人称已整改，请求从轻。")
    entry = services.decide_listing(
        entry=entry, by=reviewer, document_number="津西市监严信〔2026〕8号", decision_date=date(2026, 12, 1)
    )
    assert (entry.valid_from, entry.valid_to) == (date(2026, 12, 1), date(2029, 12, 1))  # type default: 36 months
    entry = services.publish_listing(entry=entry, by=reviewer)
    entry = services.remove_listing(entry=entry, by=reviewer, reason="repaired", note="提前移出")

    steps = list(ListEntryStep.objects.filter(entry=entry).values_list("status", "by__username", "document"))
    assert [step[0] for step in steps] == [
        EntryStatus.PROPOSED,
        EntryStatus.NOTICE_SERVED,
        EntryStatus.STATEMENT_RECORDED,
        EntryStatus.DECIDED,
        EntryStatus.PUBLISHED,
        EntryStatus.REMOVED,
    ]
    assert steps[1] == (EntryStatus.NOTICE_SERVED, "clerk_a", "津西市监告〔2026〕8号")
    assert steps[3][1] == "reviewer"
    assert entry.removal_reason == RemovalReason.REPAIRED


def test_statement_deadline_counts_working_days_after_the_notice_day(clerk):
    entry = services.serve_notice(entry=_propose(clerk), by=clerk, notice_date=FRIDAY, document_number="告8号")
    # Five working days after Friday 20 Nov 2026: the weekend is skipped, the notice day is not counted.
    assert entry.statement_due_date == date(2026, 11, 27)


def test_statement_period_is_list_type_data(clerk):
    wage = list_type("wage_arrears")
    wage.notice_working_days = 10
    wage.save()
    entry = services.serve_notice(
        entry=_propose(clerk, code="wage_arrears"), by=clerk, notice_date=FRIDAY, document_number="告9号"
    )
    assert entry.statement_due_date == date(2026, 12, 4)


def test_decision_waits_for_the_statement_period_unless_a_statement_is_recorded(clerk, reviewer):
    entry = services.serve_notice(entry=_propose(clerk), by=clerk, notice_date=FRIDAY, document_number="告10号")
    with pytest.raises(SanctionsError) as refused:
        services.decide_listing(
            entry=entry,
            by=reviewer,
            document_number="决10号",
            decision_date=date(2026, 11, 27),
            today=date(2026, 11, 27),
        )
    assert refused.value.code == ErrorCode.STATEMENT_PERIOD_RUNNING
    entry = services.decide_listing(
        entry=entry, by=reviewer, document_number="决10号", decision_date=date(2026, 11, 30), today=date(2026, 11, 30)
    )
    assert entry.status == EntryStatus.DECIDED


def test_publishing_before_the_decision_is_refused(clerk, reviewer):
    entry = _propose(clerk)
    with pytest.raises(TransitionNotAllowed):
        services.publish_listing(entry=entry, by=reviewer)


def test_a_clerk_cannot_decide(clerk):
    entry = services.record_statement(
        entry=services.serve_notice(entry=_propose(clerk), by=clerk, notice_date=FRIDAY, document_number="告11号"),
        by=clerk,
        statement="无异议",
    )
    with pytest.raises(PermissionDenied):
        services.decide_listing(entry=entry, by=clerk, document_number="决11号", decision_date=date(2026, 12, 1))


def test_a_clerk_of_another_department_cannot_act_on_the_proposal(clerk, clerk_b):
    entry = _propose(clerk)
    with pytest.raises(NotFound):
        services.serve_notice(entry=entry, by=clerk_b, notice_date=FRIDAY, document_number="告12号")
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PROPOSED


def test_a_clerk_proposes_only_for_their_own_department(clerk, department_b):
    with pytest.raises(PermissionDenied):
        services.propose_listing(
            by=clerk,
            department=department_b,
            list_type=list_type("samr_serious"),
            subject=SubjectFactory(),
            reason="x",
        )


def test_overlapping_entries_of_one_type_for_one_subject_are_refused(clerk, clerk_b):
    subject = SubjectFactory()
    _propose(clerk, subject=subject)
    with pytest.raises(OverlappingEntry) as refused:
        _propose(clerk_b, subject=subject)
    assert refused.value.code == "overlapping_entry"
    # Another list type for the same subject is a different listing.
    assert _propose(clerk_b, subject=subject, code="tax_major").status == EntryStatus.PROPOSED


def test_a_removed_entry_no_longer_blocks_a_new_proposal(clerk, reviewer):
    subject = SubjectFactory()
    entry = services.reject_listing(entry=_propose(clerk, subject=subject), by=reviewer, note="证据不足")
    assert entry.status == EntryStatus.REJECTED
    assert _propose(clerk, subject=subject).status == EntryStatus.PROPOSED


def test_repair_removal_is_refused_where_the_list_type_forbids_it(clerk, reviewer):
    entry = services.record_statement(
        entry=services.serve_notice(
            entry=_propose(clerk, code="commerce_black"), by=clerk, notice_date=FRIDAY, document_number="告13号"
        ),
        by=clerk,
        statement="无",
    )
    entry = services.decide_listing(
        entry=entry, by=reviewer, document_number="决13号", decision_date=date(2026, 12, 1)
    )
    with pytest.raises(SanctionsError) as refused:
        services.remove_listing(entry=entry, by=reviewer, reason="repaired")
    assert refused.value.code == ErrorCode.REPAIR_NOT_ALLOWED
    assert services.remove_listing(entry=entry, by=reviewer, reason="决定撤销").removal_reason == RemovalReason.REVOKED


def test_publication_and_removal_each_write_one_outbox_event(clerk, reviewer):
    entry = services.record_statement(
        entry=services.serve_notice(entry=_propose(clerk), by=clerk, notice_date=FRIDAY, document_number="告14号"),
        by=clerk,
        statement="无",
    )
    entry = services.decide_listing(
        entry=entry, by=reviewer, document_number="决14号", decision_date=date(2026, 12, 1)
    )
    assert not OutboxEvent.objects.filter(object_id=entry.pk).exists()  # nothing upstream before publication
    services.publish_listing(entry=entry, by=reviewer)
    services.remove_listing(entry=entry, by=reviewer, reason="revoked")
    events = list(OutboxEvent.objects.filter(object_id=entry.pk, kind="list_entry").order_by("pk"))
    assert [event.action for event in events] == ["upsert", "withdraw"]
    assert events[0].payload["decision_document_number"] == "决14号"
    assert events[0].department_id == clerk.department_id
    assert "id_number" not in events[0].payload


def test_red_entry_is_published_only_after_its_public_notice(clerk, reviewer):
    entry = _propose(clerk, code="honest_model")
    with pytest.raises(TransitionNotAllowed):
        services.publish_listing(entry=entry, by=reviewer)
    entry = services.start_public_notice(entry=entry, by=reviewer, notice_date=date(2026, 11, 2))
    assert entry.public_notice_end_date == date(2026, 11, 9)
    with pytest.raises(SanctionsError) as refused:
        services.publish_listing(entry=entry, by=reviewer, today=date(2026, 11, 9))
    assert refused.value.code == ErrorCode.PUBLIC_NOTICE_RUNNING
    entry = services.publish_listing(entry=entry, by=reviewer, today=date(2026, 11, 10))
    assert entry.status == EntryStatus.PUBLISHED
    assert (entry.valid_from, entry.valid_to) == (date(2026, 11, 10), date(2028, 11, 10))


def test_red_entries_skip_the_black_list_notice(clerk):
    with pytest.raises(SanctionsError) as refused:
        services.serve_notice(entry=_propose(clerk, code="tax_a"), by=clerk, notice_date=FRIDAY, document_number="x")
    assert refused.value.code == ErrorCode.WRONG_LIST_COLOR


def test_every_step_is_audited(clerk):
    from credit_portal.models import AuditEvent

    entry = _propose(clerk)
    assert AuditEvent.objects.filter(object_id=str(entry.pk), action="list_entry_proposed").count() == 1
    assert ListEntry.objects.get(pk=entry.pk).proposed_by == clerk
