"""Objections opened and closed, and public grade changes, reach the change feed in order, once, nothing personal."""

from __future__ import annotations

import datetime
import json

import pytest

from django.db import connection
from django.utils import timezone

from credit_portal.opendata import services
from credit_portal.opendata.choices import ChangeAction, ChangeKind
from credit_portal.opendata.models import ChangeEvent, FeedSyncState
from disclosure.choices import InfoScope, Severity
from repair import services as repair_services
from repair.choices import ApplicationKind, ObjectionOutcome
from sanctions.evaluation import services as evaluation_services
from sanctions.models import SubjectGradeHistory
from tests.disclosure.factories import PenaltyFactory
from tests.registry.factories import NaturalPersonFactory, SubjectFactory
from tests.repair.factories import TODAY, file, removable_entry, repairable_penalty

pytestmark = pytest.mark.django_db
OBJECTION = ApplicationKind.OBJECTION


def _actions(kind: str, object_id: int) -> list[str]:
    return list(
        ChangeEvent.objects.filter(kind=kind, object_id=object_id).order_by("pk").values_list("action", flat=True)
    )


def _close(application, *, reviewer, clerk, outcome=ObjectionOutcome.VERIFIED, changes=None):
    application = repair_services.route_objection(application=application, by=reviewer, today=TODAY)
    repair_services.answer_objection(
        application=application, by=clerk, outcome=outcome, answer="经核实", changes=changes, today=TODAY
    )
    return repair_services.close_objection(application=application, by=reviewer, reason="办结", today=TODAY)


def test_an_objection_opened_then_closed_is_two_ordered_events_of_its_record(reviewer, clerk):
    penalty = repairable_penalty(department=clerk.department, document_number="津西罚〔2026〕31号")
    application = file(penalty, kind=OBJECTION)
    assert services.sync_changes() == 1  # "异议处理中" is public at once (DOMAIN §8)
    _close(application, reviewer=reviewer, clerk=clerk)
    assert services.sync_changes() == 1
    assert _actions(ChangeKind.PENALTY, penalty.pk) == [ChangeAction.OBJECTION_OPENED, ChangeAction.OBJECTION_CLOSED]
    opened, closed = ChangeEvent.objects.filter(object_id=penalty.pk).order_by("pk")
    assert opened.occurred_at <= closed.occurred_at
    assert opened.uscc == penalty.uscc != ""
    assert opened.summary["document_number"] == "津西罚〔2026〕31号"
    assert (opened.summary["is_under_objection"], closed.summary["is_under_objection"]) == (True, False)
    assert "objection_outcome" not in opened.summary and closed.summary["objection_outcome"] == "verified"


def test_a_correction_answering_an_objection_sits_between_its_opening_and_closing(reviewer, clerk):
    penalty = repairable_penalty(department=clerk.department)
    application = file(penalty, kind=OBJECTION)
    _close(
        application,
        reviewer=reviewer,
        clerk=clerk,
        outcome=ObjectionOutcome.CORRECTED,
        changes={"content": "罚款人民币一万元整。"},
    )
    services.sync_changes()  # one run reads both sources: they are merged by the time of the change
    assert _actions(ChangeKind.PENALTY, penalty.pk) == [
        ChangeAction.OBJECTION_OPENED,
        ChangeAction.CORRECTED,
        ChangeAction.OBJECTION_CLOSED,
    ]
    closed = ChangeEvent.objects.get(object_id=penalty.pk, action=ChangeAction.OBJECTION_CLOSED)
    assert closed.summary["objection_outcome"] == ObjectionOutcome.CORRECTED


def test_a_refused_objection_closes_and_a_list_entry_objection_names_the_entry(reviewer):
    entry = removable_entry()
    application = file(entry, kind=OBJECTION)
    repair_services.refuse_application(application=application, by=reviewer, reason="材料不全", today=TODAY)
    services.sync_changes()
    assert _actions(ChangeKind.LIST_ENTRY, entry.pk) == [
        ChangeAction.OBJECTION_OPENED,
        ChangeAction.OBJECTION_CLOSED,
    ]
    event = ChangeEvent.objects.filter(object_id=entry.pk).first()
    assert event.uscc == entry.subject.uscc
    assert event.summary["decision_document_number"] == entry.decision_document_number
    assert event.summary["list_type_name"] == entry.list_type.name
    closed = ChangeEvent.objects.get(object_id=entry.pk, action=ChangeAction.OBJECTION_CLOSED)
    assert closed.summary["objection_outcome"] == "refused"


def test_repairs_and_objections_about_internal_records_never_reach_the_feed(reviewer):
    file(repairable_penalty(), kind=ApplicationKind.REPAIR)
    file(repairable_penalty(info_scope=InfoScope.INTERNAL), kind=OBJECTION)
    assert services.sync_changes() == 0


def test_objection_events_carry_nothing_about_the_applicant_and_mask_a_persons_name():
    person = NaturalPersonFactory(name="张三明")
    penalty = repairable_penalty(subject=person, uscc="")
    id_number = "110101199003074514"
    person.set_id_number(id_number)
    person.save()
    file(penalty, kind=OBJECTION, id_number=id_number, statement="本人对处罚金额有异议，联系人李经理。")
    services.sync_changes()
    body = json.dumps(list(ChangeEvent.objects.values("uscc", "summary")), ensure_ascii=False)
    assert ChangeEvent.objects.count() == 1
    for personal in ("张三明", id_number, "李经理", "13800138000", "applicant@example.com", "处罚金额有异议"):
        assert personal not in body
    assert "张*明" in body


# --- grades ------------------------------------------------------------------------------------------------------

GRADE_METHODS = [
    "python",
    pytest.param(
        "sql",
        marks=pytest.mark.skipif(connection.vendor != "postgresql", reason="the one-statement path is PostgreSQL's"),
    ),
]


def _penalty(subject, severity):
    today = timezone.localdate()
    return PenaltyFactory(
        subject=subject, published=True, severity=severity, publication_end_date=today + datetime.timedelta(days=365)
    )


@pytest.mark.parametrize("method", GRADE_METHODS)
def test_a_grade_change_of_the_recompute_appears_once_and_unchanged_grades_give_nothing(method):
    today = timezone.localdate()
    company, steady, nudged = SubjectFactory.create_batch(3)
    person = NaturalPersonFactory()
    _penalty(nudged, Severity.MINOR)  # 98: B
    evaluation_services.recompute_grades(today=today, method=method)
    assert services.sync_changes() == 0  # a first grade is not a change
    _penalty(company, Severity.SERIOUS)  # 100 → 85: A → C
    _penalty(nudged, Severity.MINOR)  # 98 → 96: still B, a history row but no grade change
    _penalty(person, Severity.SERIOUS)  # a natural person's grade is not in the feed (DOMAIN §10)
    evaluation_services.recompute_grades(today=today, method=method)
    assert SubjectGradeHistory.objects.filter(subject=nudged).count() == 2
    assert services.sync_changes() == 1
    event = ChangeEvent.objects.get(kind=ChangeKind.GRADE)
    assert (event.action, event.object_id, event.uscc) == (ChangeAction.GRADE_CHANGED, company.pk, company.uscc)
    assert (event.summary["old_grade"], event.summary["new_grade"]) == ("A", "C")
    assert event.summary["subject_name"] == company.name
    assert event.summary["score"] == 85
    evaluation_services.recompute_grades(today=today, method=method)  # nothing changed
    assert services.sync_changes() == 0
    assert ChangeEvent.objects.count() == 1


def test_a_repeated_sync_of_every_source_creates_no_duplicates(reviewer, clerk):
    today = timezone.localdate()
    company = SubjectFactory()
    evaluation_services.recompute_grades(today=today)
    _penalty(company, Severity.SERIOUS)
    evaluation_services.recompute_grades(today=today)
    _close(file(repairable_penalty(department=clerk.department), kind=OBJECTION), reviewer=reviewer, clerk=clerk)
    assert services.sync_changes() == 3
    ids = list(ChangeEvent.objects.order_by("pk").values_list("pk", "source", "source_event_id"))
    assert services.sync_changes() == 0
    FeedSyncState.objects.update(last_event_id=0, last_objection_step_id=0, last_grade_history_id=0)  # state lost
    services.sync_changes()
    assert list(ChangeEvent.objects.order_by("pk").values_list("pk", "source", "source_event_id")) == ids


def test_grade_rows_wait_for_the_commit_lag_like_the_other_sources(settings):
    settings.OPENDATA_SYNC_LAG_SECONDS = 60
    today = timezone.localdate()
    company = SubjectFactory()
    evaluation_services.recompute_grades(today=today)
    _penalty(company, Severity.SERIOUS)
    evaluation_services.recompute_grades(today=today)
    assert services.sync_changes() == 0
    assert services.sync_changes(now=timezone.now() + datetime.timedelta(seconds=61)) == 1
