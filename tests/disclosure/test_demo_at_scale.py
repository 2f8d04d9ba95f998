"""The demo at city scale (issue 10): records per subject, the SQL path from templates, COPY and deferred indexes."""

from __future__ import annotations

import io
import random

import pytest

from django.db import IntegrityError, connection
from django.utils import timezone

from credit_portal import bulkload
from disclosure import demo
from disclosure.choices import RecordStatus, Timeliness
from disclosure.models import Licensing, Penalty
from registry import demo as registry_demo
from registry.choices import SubjectCategory
from registry.models import Subject

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="COPY and the SQL path are PostgreSQL's"
)
TABLES = ("registry_subject", "disclosure_licensing", "disclosure_penalty")


def _schema(tables=TABLES) -> set[tuple]:
    """Every index and constraint of the tables, by name, with PostgreSQL's own definition."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)", [list(tables)]
        )
        indexes = set(cursor.fetchall())
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid::regclass::text = ANY(%s)",
            [list(tables)],
        )
        return indexes | set(cursor.fetchall())


def test_records_per_subject_sets_how_many_records_the_python_path_files():
    rng = random.Random(3)
    registry_demo.generate(subjects=400, rng=rng, stdout=io.StringIO())
    demo.generate(rng=rng, today=timezone.localdate(), stdout=io.StringIO(), scale=400, records_per_subject=3)
    licensings, penalties = Licensing.objects.count(), Penalty.objects.count()
    assert 1000 <= licensings + penalties <= 1400  # 3 a subject on average
    assert 1.2 <= licensings / penalties <= 1.8  # 3 to 2, as the default half record


@postgresql_only
def test_the_sql_path_gives_each_subject_its_own_records_built_from_templates(monkeypatch):
    rng = random.Random(5)
    monkeypatch.setattr(registry_demo, "COPY_THRESHOLD", 1)
    monkeypatch.setattr(demo, "SQL_THRESHOLD", 1)
    monkeypatch.setattr(demo, "TEMPLATES", 60)
    monkeypatch.setattr(demo, "SQL_SUBJECTS_PER_STATEMENT", 250)
    before = _schema()
    registry_demo.generate(subjects=600, rng=rng, stdout=io.StringIO())
    out = io.StringIO()
    demo.generate(rng=rng, today=timezone.localdate(), stdout=out, scale=600, records_per_subject=3)
    assert "built in" in out.getvalue()
    assert _schema() == before  # the same indexes and foreign keys, same names and definitions, after the load

    total = Licensing.objects.count() + Penalty.objects.count()
    assert 1500 <= total <= 2100
    subjects = {
        row[0]: row for row in Subject.objects.values_list("pk", "name", "uscc", "category", "id_number_masked")
    }
    for model in (Licensing, Penalty):
        rows = model.objects.values_list(
            "subject_id", "subject_name", "uscc", "subject_category", "id_number_masked", "document_number"
        )
        numbers = [row[5] for row in rows]
        assert len(numbers) == len(set(numbers))
        for subject_id, name, uscc, category, masked, _number in rows:
            _pk, subject_name, subject_uscc, subject_category, subject_masked = subjects[subject_id]
            assert (name, category) == (subject_name, subject_category)
            assert uscc == (subject_uscc or uscc)
            if category == SubjectCategory.NATURAL_PERSON:
                assert masked == subject_masked and "*" in masked
            else:
                assert masked == ""
    # The records keep the demo's shape: several years, on time, late, overdue, drafts and expired ones.
    timeliness = set(Penalty.objects.values_list("timeliness", flat=True)) | set(
        Licensing.objects.values_list("timeliness", flat=True)
    )
    assert {Timeliness.ON_TIME, Timeliness.LATE, Timeliness.OVERDUE} <= timeliness
    assert {RecordStatus.PUBLISHED, RecordStatus.EXPIRED, RecordStatus.DRAFT} <= set(
        Penalty.objects.values_list("status", flat=True)
    )
    years = {day.year for day in Penalty.objects.values_list("decision_date", flat=True)}
    assert len(years) >= 4
    assert Penalty.objects.public().exists() and Penalty.objects.exclude(fine_amount=None).exists()


@postgresql_only
def test_the_same_seed_gives_the_same_records_on_the_sql_path(monkeypatch):
    monkeypatch.setattr(demo, "SQL_THRESHOLD", 1)
    monkeypatch.setattr(demo, "TEMPLATES", 40)
    registry_demo.generate(subjects=200, rng=random.Random(1), stdout=io.StringIO())
    today = timezone.localdate()

    def run() -> list[tuple]:
        demo.generate(rng=random.Random(9), today=today, stdout=io.StringIO(), scale=200, records_per_subject=2)
        rows = sorted(Penalty.objects.values_list("subject_id", "decision_date", "department_id", "status"))
        Penalty.objects.all().delete()
        Licensing.objects.all().delete()
        return rows

    assert run() == run()


@postgresql_only
def test_a_failed_load_keeps_every_index_and_foreign_key():
    before = _schema(("disclosure_penalty",))
    with pytest.raises(RuntimeError), bulkload.deferred_indexes("disclosure_penalty"):
        assert _schema(("disclosure_penalty",)) < before  # dropped while loading
        raise RuntimeError("load failed")
    assert _schema(("disclosure_penalty",)) == before


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_two_tables_load_side_by_side_each_with_its_indexes(monkeypatch):
    monkeypatch.setattr(demo, "SQL_THRESHOLD", 1)
    monkeypatch.setattr(demo, "TEMPLATES", 40)
    before = _schema()
    registry_demo.generate(subjects=300, rng=random.Random(2), stdout=io.StringIO())
    out = io.StringIO()
    demo.generate(rng=random.Random(4), today=timezone.localdate(), stdout=out, scale=300, records_per_subject=3)
    assert out.getvalue().count("built in") == 2  # one transaction per table
    assert 700 <= Licensing.objects.count() + Penalty.objects.count() <= 1100
    assert not Penalty.objects.exclude(subject_name__in=Subject.objects.values("name")).exists()
    assert _schema() == before


@postgresql_only
def test_with_key_triggers_off_a_row_without_its_referenced_row_still_fails_the_load():
    if not bulkload.can_skip_key_checks():
        pytest.skip("turning the key triggers off takes a superuser")
    before = _schema(("sanctions_listentrystep",))
    with pytest.raises(IntegrityError, match="entry_id"):
        with bulkload.deferred_indexes("sanctions_listentrystep", skip_key_checks=True):
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO sanctions_listentrystep (entry_id, status, at, document, note) "
                    "VALUES (-1, 'proposed', now(), '', '')"
                )
    assert _schema(("sanctions_listentrystep",)) == before
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sanctions_listentrystep WHERE entry_id = -1")
        assert cursor.fetchone()[0] == 0
