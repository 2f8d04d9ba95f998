"""A subject's grade is recomputed at once when its public record changes (issue 11), through one hook.

Each change kind: a penalty published, corrected, withdrawn, expired or stopped by repair; a list entry
published, removed (repaired) or expired; a commitment fulfilled or broken. Jobs hand over their subjects
set-based: one grading task per transaction, whatever the number of subjects.
"""

from __future__ import annotations

import datetime

import pytest

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from disclosure import services as disclosure_services
from disclosure.choices import RecordStatus, Severity
from disclosure.models import Penalty
from repair import services as repair_services
from sanctions import services as sanctions_services
from sanctions.choices import EntryStatus, RemovalReason
from sanctions.commitments import services as commitment_services
from sanctions.evaluation import services as evaluation
from sanctions.models import EvaluationModel, SubjectGrade
from tests.disclosure.factories import PenaltyFactory, penalty_data
from tests.registry.factories import SubjectFactory
from tests.repair.factories import file, removable_entry, repairable_penalty
from tests.sanctions.factories import ListEntryFactory
from tests.sanctions.test_commitments import CommitmentFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
RECENT = (TODAY - datetime.timedelta(days=10)).isoformat()
LATER = TODAY + datetime.timedelta(days=400)


def _grade(subject) -> tuple[int, str] | None:
    row = SubjectGrade.objects.filter(subject=subject).values_list("score", "grade").first()
    return tuple(row) if row else None


def _flushes(callbacks) -> list:
    return [callback for callback in callbacks if getattr(callback, "func", None) is evaluation._flush]


def _published_penalty(clerk, subject, **overrides):
    data = penalty_data(subject=subject, decision_date=RECENT, **overrides)
    penalty = disclosure_services.file_penalty(by=clerk, department=clerk.department, data=data)
    return disclosure_services.publish_penalty(penalty=penalty, by=clerk)


def test_publishing_a_penalty_regrades_its_subject_after_the_commit(clerk, django_capture_on_commit_callbacks):
    subject = SubjectFactory()
    with django_capture_on_commit_callbacks(execute=True):
        _published_penalty(clerk, subject)
    assert _grade(subject) == (95, "B")  # one general penalty in publication: −5


def test_correcting_a_published_penalty_regrades_with_the_new_severity(clerk, django_capture_on_commit_callbacks):
    subject = SubjectFactory()
    with django_capture_on_commit_callbacks(execute=True):
        penalty = _published_penalty(clerk, subject)
    with django_capture_on_commit_callbacks(execute=True):
        disclosure_services.correct_penalty(penalty=penalty, by=clerk, changes={"severity": "serious"}, reason="定性")
    assert _grade(subject) == (85, "C")


def test_withdrawing_a_penalty_gives_the_grade_back(clerk, django_capture_on_commit_callbacks):
    subject = SubjectFactory()
    with django_capture_on_commit_callbacks(execute=True):
        penalty = _published_penalty(clerk, subject)
    assert _grade(subject) == (95, "B")
    with django_capture_on_commit_callbacks(execute=True):
        disclosure_services.withdraw_penalty(penalty=penalty, by=clerk, reason="决定撤销", document="撤销决定书1号")
    assert _grade(subject) == (100, "A")


def test_the_expiry_job_regrades_every_subject_of_its_batch_in_one_task(django_capture_on_commit_callbacks):
    subjects = SubjectFactory.create_batch(4)
    for subject in subjects:
        PenaltyFactory(subject=subject, published=True, severity=Severity.SERIOUS, publication_end_date=LATER)
    evaluation.recompute_grades(today=TODAY)
    assert {_grade(subject) for subject in subjects} == {(85, "C")}
    Penalty.objects.filter(subject__in=subjects).update(publication_end_date=TODAY - datetime.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert disclosure_services.expire_records(today=TODAY) == 4
    assert len(_flushes(callbacks)) == 1  # the batch's subjects go to one grading task, not one each
    assert {_grade(subject) for subject in subjects} == {(100, "A")}


def test_a_repair_that_stops_a_penalty_regrades_the_subject(reviewer, django_capture_on_commit_callbacks):
    penalty = repairable_penalty(severity=Severity.GENERAL)
    evaluation.recompute_grades(today=TODAY)
    assert _grade(penalty.subject) == (95, "B")
    application = repair_services.accept_application(application=file(penalty), by=reviewer, today=TODAY)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        repair_services.approve_repair(application=application, by=reviewer, reason="罚款已缴清。", today=TODAY)
    penalty.refresh_from_db()
    assert penalty.status == RecordStatus.STOPPED_BY_REPAIR
    assert _grade(penalty.subject) == (102, "A")  # penalty no longer counted; a completed repair +2
    assert len(_flushes(callbacks)) == 1


def test_a_repair_that_removes_a_list_entry_regrades_the_subject(reviewer, django_capture_on_commit_callbacks):
    entry = removable_entry()
    evaluation.recompute_grades(today=TODAY)
    assert _grade(entry.subject) == (70, "C")
    application = repair_services.accept_application(application=file(entry), by=reviewer, today=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        repair_services.approve_repair(application=application, by=reviewer, reason="已履行。", today=TODAY)
    assert _grade(entry.subject) == (102, "A")


def test_publishing_and_removing_a_list_entry_move_the_grade(reviewer, django_capture_on_commit_callbacks):
    entry = ListEntryFactory(status=EntryStatus.DECIDED, published_at=None, valid_from=TODAY, valid_to=LATER)
    evaluation.recompute_grades(today=TODAY)
    assert _grade(entry.subject) == (100, "A")
    with django_capture_on_commit_callbacks(execute=True):
        sanctions_services.publish_listing(entry=entry, by=reviewer, today=TODAY)
    assert _grade(entry.subject) == (70, "C")
    with django_capture_on_commit_callbacks(execute=True):
        sanctions_services.remove_listing(entry=entry, by=reviewer, reason=RemovalReason.REVOKED, document="撤销")
    assert _grade(entry.subject) == (100, "A")


def test_the_list_expiry_job_regrades_its_subjects(django_capture_on_commit_callbacks):
    entries = [ListEntryFactory(valid_from=datetime.date(2024, 1, 1), valid_to=LATER) for _ in range(3)]
    evaluation.recompute_grades(today=TODAY)
    later = LATER + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert sanctions_services.expire_listings(today=later) == 3
    assert len(_flushes(callbacks)) == 1
    # The task grades on the real today, when the entries are still current by date but removed by status.
    assert {_grade(entry.subject) for entry in entries} == {(100, "A")}


@pytest.mark.parametrize(
    ("service", "expected"),
    [(commitment_services.fulfil_commitment, (101, "A")), (commitment_services.mark_commitment_broken, (90, "B"))],
)
def test_a_commitment_fulfilled_or_broken_moves_the_grade(
    clerk, django_capture_on_commit_callbacks, service, expected
):
    commitment = CommitmentFactory(department=clerk.department)
    with django_capture_on_commit_callbacks(execute=True):
        service(commitment=commitment, by=clerk, evidence="已核查。")
    assert _grade(commitment.subject) == expected


def test_several_changes_in_one_transaction_are_graded_together(clerk, django_capture_on_commit_callbacks):
    first, second = SubjectFactory(), SubjectFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            _published_penalty(clerk, first, number="测合〔2026〕1号")
            _published_penalty(clerk, second, number="测合〔2026〕2号")
    assert _grade(first) == _grade(second) == (95, "B")
    assert (
        len(_flushes(callbacks)) == 2
    )  # one callback per change; the first sends both subjects, the second finds none


def test_grading_many_subjects_takes_the_same_number_of_queries_as_few():
    few = SubjectFactory.create_batch(2)
    many = SubjectFactory.create_batch(40)
    with CaptureQueriesContext(connection) as small:
        evaluation.recompute_grades_of(subject_ids=[subject.pk for subject in few], today=TODAY)
    with CaptureQueriesContext(connection) as large:
        assert evaluation.recompute_grades_of(subject_ids=[subject.pk for subject in many], today=TODAY) == 40
    assert len(large.captured_queries) == len(small.captured_queries)


def test_without_a_model_in_force_a_change_is_saved_and_nothing_is_graded(clerk, django_capture_on_commit_callbacks):
    EvaluationModel.objects.update(is_active=False)
    subject = SubjectFactory()
    with django_capture_on_commit_callbacks(execute=True):
        penalty = _published_penalty(clerk, subject)
    assert penalty.status == RecordStatus.PUBLISHED
    assert _grade(subject) is None


def test_an_import_that_publishes_regrades_its_subjects_in_one_task(clerk, django_capture_on_commit_callbacks):
    from disclosure.validation import clean_penalty_row
    from tests.registry.factories import make_uscc

    rows = []
    for n in range(6):
        data = penalty_data(
            number=f"导入罚〔2026〕{n}号", uscc=make_uscc("9", "1", seed=900 + n), subject_name=f"导入公司{n}"
        )
        data["decision_date"] = RECENT
        cleaned, errors = clean_penalty_row(data)
        assert errors == []
        rows.append(cleaned)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        results = disclosure_services.file_records_bulk(
            by=clerk, department=clerk.department, kind="penalty", rows=rows, publish=True
        )
    assert {result.action for result in results} == {"created"}
    assert len(_flushes(callbacks)) == 1
    subjects = [result.record.subject for result in results]
    assert {_grade(subject) for subject in subjects} == {(95, "B")}
