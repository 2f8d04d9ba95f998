"""The benchmark harness imports, renders its table, and its raw/portal pairs do the same work (never timed)."""

from __future__ import annotations

import datetime
import random

import pytest

from django.db import connection, transaction
from django.utils import timezone

from benchmarks import bench
from tests.disclosure.factories import LicensingFactory, PenaltyFactory
from tests.registry.factories import SubjectFactory
from tests.sanctions.factories import ListEntryFactory

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the raw baseline uses PostgreSQL-only SQL (CTE UPDATE, unnest, COPY)"
)


def context(**overrides) -> bench.Context:
    today = timezone.localdate()
    return bench.Context(
        today=today, job_day=today, rng=random.Random(1), repeats=1, log=lambda text: None, **overrides
    )


def test_table_has_one_line_per_row_with_cells_on_one_line():
    rows = [bench.Row("(x) a", portal="1 s", raw="0.5 s", ratio="2.0×", aim="< 2 s", met="yes", note="a | b\nc")]
    rows.append(bench.Row.skipped("(y) b", "no API yet"))
    lines = bench.table(rows).splitlines()
    assert len(lines) == 4
    assert "a \\| b c" in lines[2]
    assert "skipped: no API yet" in lines[3]


def test_a_failing_benchmark_becomes_a_skipped_row_and_the_run_goes_on(db):
    @bench.guarded("(z) broken", aim="< 1 s")
    def broken(ctx):
        raise LookupError("the app has no such service")

    [row] = broken(context())
    assert row.portal == "skipped"
    assert row.note == "skipped: LookupError: the app has no such service"
    assert row.aim == "< 1 s"


def test_every_benchmark_carries_its_name_for_the_log():
    assert all(getattr(benchmark, "bench_name", "") for benchmark in bench.BENCHMARKS)


def test_search_benchmark_without_a_server_says_why(db):
    rows = bench.bench_search(context())
    assert all(row.portal == "skipped" for row in rows)


@pytest.mark.django_db
def test_deadline_scan_raw_and_portal_mark_the_same_records():
    PenaltyFactory.create_batch(3)  # drafts due 2024-03-26, still pending: overdue
    LicensingFactory()
    PenaltyFactory(published=True)  # published: not the scan's business
    PenaltyFactory(publication_due_date=timezone.localdate() + datetime.timedelta(days=30))  # not due yet
    from disclosure import services

    _seconds, raw = bench.rolled_back(lambda: bench.raw_mark_overdue(timezone.localdate()))
    _seconds, portal = bench.rolled_back(lambda: services.mark_overdue(today=timezone.localdate()))
    assert raw == portal == 4


@needs_postgresql
@pytest.mark.django_db
def test_expiry_raw_and_portal_expire_the_same_records():
    PenaltyFactory.create_batch(2, published=True)  # publication ended 2025-03-15
    PenaltyFactory(published=True, publication_end_date=timezone.localdate() + datetime.timedelta(days=90))
    LicensingFactory(published=True)  # valid to 2029
    from disclosure import services

    ctx = context()
    row = bench._job_pair(ctx, "expiry", lambda day: services.expire_records(today=day), bench.raw_expire, 10)
    assert row.figures["raw_rows"] == row.figures["portal_rows"] == 2


@needs_postgresql
@pytest.mark.django_db
def test_credit_check_raw_and_portal_find_the_same_hits(clerk):
    listed, penalised, clean = SubjectFactory(), SubjectFactory(), SubjectFactory()
    ListEntryFactory(subject=listed)
    PenaltyFactory(
        subject=penalised, published=True, publication_end_date=timezone.localdate() + datetime.timedelta(days=90)
    )
    codes = [listed.uscc, penalised.uscc, clean.uscc, "91350100M000100Y43"]
    _seconds, raw_hits = bench.raw_credit_check(codes, timezone.localdate())
    _seconds, portal_hits = bench.portal_credit_check(clerk, codes, timezone.localdate())
    assert raw_hits == portal_hits == 2


@needs_postgresql
@pytest.mark.django_db
def test_copy_baseline_writes_the_rows_the_import_would_file(clerk):
    subjects = SubjectFactory.create_batch(3)
    data = [
        {
            "subject_id": subject.pk,
            "行政相对人名称": subject.name,
            "统一社会信用代码": subject.uscc,
            "法定代表人": "李四",
            "处罚机关": clerk.department.name,
            "处罚机关统一社会信用代码": clerk.department.uscc,
            "行政处罚决定书文号": f"测〔2026〕{index}号",
            "处罚决定日期": "2026-01-05",
            "处罚内容": "罚款",
            "违法行为类型": "类型",
            "违法事实": "事实\t带制表符",
            "处罚依据": "依据\\条",
            "罚款金额（万元）": "1",
        }
        for index, subject in enumerate(subjects)
    ]
    from disclosure.models import Penalty

    before = Penalty.objects.count()
    assert bench.raw_copy_rate(data, clerk.department, filed_by_id=clerk.pk) > 0
    assert bench.raw_copy_rate(data, clerk.department, into="scratch") > 0
    assert Penalty.objects.count() == before  # the COPY into the table itself is rolled back


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_copy_baseline_into_the_table_checks_its_foreign_keys_as_the_import_does(clerk):
    """The baseline does the import's database work: a row naming a subject that does not exist is refused."""
    from psycopg2.errors import ForeignKeyViolation  # COPY goes through the driver's cursor, not Django's

    subject = SubjectFactory()
    row = {
        "subject_id": subject.pk + 1_000_000,
        "行政相对人名称": subject.name,
        "统一社会信用代码": subject.uscc,
        "法定代表人": "李四",
        "处罚机关": clerk.department.name,
        "处罚机关统一社会信用代码": clerk.department.uscc,
        "行政处罚决定书文号": "测〔2026〕1号",
        "处罚决定日期": "2026-01-05",
        "处罚内容": "罚款",
        "违法行为类型": "类型",
        "违法事实": "事实",
        "处罚依据": "依据",
        "罚款金额（万元）": "1",
    }
    with pytest.raises(ForeignKeyViolation):
        bench.raw_copy_rate([row], clerk.department, filed_by_id=clerk.pk)
    assert bench.raw_copy_rate([row], clerk.department, into="scratch") > 0  # no foreign keys there


@needs_postgresql
@pytest.mark.django_db
def test_watch_matching_raw_join_and_portal_find_the_same_pairs():
    from credit_portal.watch import services as watch

    with transaction.atomic():
        fixture = bench.watch_fixture(changes=300, lists=20, codes=50)
        raw = bench.raw_watch_match(fixture["after"])
        outcome = watch.match_changes()
        transaction.set_rollback(True)
    assert raw > 0
    assert outcome["matches"] == raw
    assert outcome["changes"] == 300
