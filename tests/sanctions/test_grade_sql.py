"""The PostgreSQL one-statement recompute gives the same grades, reasons and history as the portable path."""

from __future__ import annotations

from datetime import date

import pytest

from django.db import connection

from disclosure.choices import RecordStatus, Severity
from sanctions.choices import EntryStatus, RemovalReason
from sanctions.commitments.choices import CommitmentStatus
from sanctions.evaluation import services
from sanctions.models import EvaluationModel, GradeBand, SubjectGrade, SubjectGradeHistory
from tests.disclosure.factories import PenaltyFactory
from tests.registry.factories import SubjectFactory
from tests.sanctions.factories import ListEntryFactory, list_type
from tests.sanctions.test_commitments import CommitmentFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the one-statement path is PostgreSQL's"),
]

TODAY = date(2026, 6, 1)
LATER = date(2027, 6, 1)


def _world() -> list:
    """Subjects with every factor, alone and together, and one with records out of publication."""
    subjects = SubjectFactory.create_batch(8)
    clean, minor, serious, black, red, mixed, repaired, old = subjects
    PenaltyFactory(subject=minor, published=True, severity=Severity.MINOR, publication_end_date=LATER)
    PenaltyFactory(subject=serious, published=True, severity=Severity.SERIOUS, publication_end_date=LATER)
    PenaltyFactory(subject=serious, published=True, severity=Severity.SERIOUS, publication_end_date=LATER)
    ListEntryFactory(subject=black)
    ListEntryFactory(subject=red, list_type=list_type("tax_a"))
    PenaltyFactory(subject=mixed, published=True, severity=Severity.GENERAL, publication_end_date=LATER)
    ListEntryFactory(subject=mixed)
    CommitmentFactory(subject=mixed, status=CommitmentStatus.BROKEN, evidence="未履行")
    CommitmentFactory(subject=mixed, status=CommitmentStatus.FULFILLED, evidence="已履行")
    CommitmentFactory(subject=mixed)  # pending: not counted
    ListEntryFactory(subject=repaired, status=EntryStatus.REMOVED, removal_reason=RemovalReason.REPAIRED)
    PenaltyFactory(subject=repaired, status=RecordStatus.STOPPED_BY_REPAIR)
    PenaltyFactory(subject=old, published=True, severity=Severity.SERIOUS, publication_end_date=date(2026, 1, 1))
    ListEntryFactory(subject=old, valid_from=date(2020, 1, 1), valid_to=date(2021, 1, 1))
    return subjects


def _grades() -> dict:
    return {
        row.subject_id: (row.model_id, row.score, row.grade, row.reasons)
        for row in SubjectGrade.objects.order_by("subject_id")
    }


def test_both_paths_give_the_same_grades_and_reasons():
    _world()
    assert services.recompute_grades(today=TODAY, method="python") == 8
    python = _grades()
    SubjectGrade.objects.all().delete()
    SubjectGradeHistory.objects.all().delete()
    assert services.recompute_grades(today=TODAY, method="sql", batch_size=3) == 8  # several ranges
    assert _grades() == python
    assert SubjectGradeHistory.objects.count() == 8
    assert {grade for _model, _score, grade, _reasons in python.values()} == {"A", "B", "C", "D"}


def test_an_unchanged_grade_is_not_written_again():
    _world()
    services.recompute_grades(today=TODAY, method="sql")
    stamps = dict(SubjectGrade.objects.values_list("subject_id", "computed_at"))
    services.recompute_grades(today=TODAY, method="sql")
    assert dict(SubjectGrade.objects.values_list("subject_id", "computed_at")) == stamps
    assert SubjectGradeHistory.objects.count() == 8


def test_a_reason_only_change_updates_the_grade_without_history():
    subject = SubjectFactory()
    services.recompute_grades(today=TODAY, method="sql")
    model = EvaluationModel.objects.get(version=1)
    EvaluationModel.objects.filter(pk=model.pk).update(weight_commitment_fulfilled=0)
    CommitmentFactory(subject=subject, status=CommitmentStatus.FULFILLED, evidence="已履行")
    services.recompute_grades(today=TODAY, method="sql")
    grade = SubjectGrade.objects.get(subject=subject)
    assert (grade.score, grade.reasons) == (100, [{"factor": "commitment_fulfilled", "count": 1, "points": 0}])
    assert SubjectGradeHistory.objects.filter(subject=subject).count() == 1


def test_a_new_version_regrades_everyone_into_the_history():
    subjects = _world()
    services.recompute_grades(today=TODAY, method="sql")
    v2 = EvaluationModel.objects.create(version=2, name="v2", effective_date=date(2026, 5, 1))
    for symbol, meaning, low in [("A", "诚信", 95), ("D", "失信", -1000)]:
        GradeBand.objects.create(model=v2, symbol=symbol, meaning=meaning, min_score=low)
    services.recompute_grades(today=TODAY, method="sql")
    assert set(SubjectGrade.objects.values_list("model_id", flat=True)) == {v2.pk}
    assert SubjectGradeHistory.objects.count() == 16
    assert SubjectGrade.objects.get(subject=subjects[0]).grade == "A"
    assert SubjectGrade.objects.get(subject=subjects[2]).grade == "D"  # two serious penalties: 70


def test_the_change_hook_grades_only_the_named_subjects():
    subjects = _world()
    assert services.recompute_grades_of(subject_ids=[subjects[1].pk, subjects[2].pk], today=TODAY) == 2
    assert set(SubjectGrade.objects.values_list("subject_id", flat=True)) == {subjects[1].pk, subjects[2].pk}
