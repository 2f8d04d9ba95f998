"""The grade benchmark (i): its raw aggregate counts what the recompute counts, and the row is filled (untimed)."""

from __future__ import annotations

import datetime
import random
from collections import Counter

import pytest

from benchmarks import bench
from disclosure.choices import Severity
from sanctions.commitments.choices import CommitmentStatus
from sanctions.models import SubjectGrade
from tests.disclosure.factories import PenaltyFactory
from tests.registry.factories import SubjectFactory
from tests.sanctions.factories import ListEntryFactory
from tests.sanctions.test_commitments import CommitmentFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)


def _data():
    subjects = SubjectFactory.create_batch(5)
    for subject in subjects[:3]:
        PenaltyFactory(subject=subject, published=True, severity=Severity.SERIOUS, publication_end_date=TODAY)
    ListEntryFactory(subject=subjects[0])
    CommitmentFactory(subject=subjects[1], status=CommitmentStatus.BROKEN, evidence="未履行")
    CommitmentFactory(subject=subjects[4], status=CommitmentStatus.FULFILLED, evidence="已履行")


def test_raw_aggregate_and_recompute_count_the_same_inputs():
    _data()
    totals = bench.raw_grade_aggregate(TODAY)
    assert bench.portal_grades(TODAY, from_scratch=True) == 5
    counted = Counter()
    for reasons in SubjectGrade.objects.values_list("reasons", flat=True):
        for reason in reasons:
            counted[reason["factor"]] += reason["count"]
    assert {code: n for code, n in totals.items() if n} == dict(counted)
    assert totals["penalty_serious"] == 3 and totals["black_entry"] == 1


def test_the_grade_rows_say_how_many_subjects_and_the_aim():
    _data()
    ctx = bench.Context(today=TODAY, job_day=TODAY, rng=random.Random(1), repeats=1, log=lambda text: None)
    rows = bench.bench_grades(ctx)
    assert [row.benchmark for row in rows] == [
        "(i) nightly grade recompute, every grade written",
        "(i) nightly grade recompute, nothing changed",
    ]
    assert all(row.met in ("yes", "no") for row in rows), rows
    assert "5 of 5 subjects graded" in rows[0].note
