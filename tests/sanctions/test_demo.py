"""The demo step of the sanctions app (called by generate_demo after the registry step)."""

from __future__ import annotations

import datetime
import io
import random

import pytest

from registry import demo as registry_demo
from sanctions import demo, selectors
from sanctions.choices import EntryStatus
from sanctions.models import CreditCheck, ListEntry, ListEntryStep

pytestmark = pytest.mark.django_db


def test_demo_creates_entries_in_several_states_with_steps_and_checks(reviewer):
    rng = random.Random(7)
    registry_demo.generate(subjects=300, rng=rng, stdout=io.StringIO())
    demo.generate(rng=rng, today=datetime.date(2026, 11, 25), stdout=io.StringIO(), scale=300)
    statuses = set(ListEntry.objects.values_list("status", flat=True))
    assert {EntryStatus.PUBLISHED, EntryStatus.PROPOSED} <= statuses
    assert len(statuses) >= 4
    assert ListEntryStep.objects.count() >= ListEntry.objects.count()
    assert CreditCheck.objects.count() == 12
    # The staff home block reads the same data.
    assert selectors.staff_home_blocks(user=reviewer, today=datetime.date(2026, 11, 25))[0]["items"]


def test_demo_creates_commitments_grades_and_a_years_integrity_assessment(reviewer):
    from sanctions.integrity import selectors as integrity_selectors
    from sanctions.models import Commitment, SubjectGrade

    rng = random.Random(11)
    registry_demo.generate(subjects=300, rng=rng, stdout=io.StringIO())
    today = datetime.date(2026, 11, 25)
    demo.generate(rng=rng, today=today, stdout=io.StringIO(), scale=300)
    assert Commitment.objects.count() >= 60
    assert len(set(Commitment.objects.values_list("status", flat=True))) == 3
    assert SubjectGrade.objects.count() == 300
    assert len(set(SubjectGrade.objects.values_list("grade", flat=True))) >= 2
    summary = integrity_selectors.public_summary(year=2025)
    assert len(summary["ranking"]) >= 2
