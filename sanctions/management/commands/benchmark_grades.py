"""Time the nightly grade recompute beside one SQL aggregate over the same inputs (issue 11 benchmark).

Run after ``generate_demo --subjects 1000000`` on PostgreSQL; prints the times and their ratios:

- the baseline: one SQL statement that computes every subject's factor counts (the same grouped aggregates the
  recompute reads) and sums them, writing nothing;
- the recompute from scratch (every grade written: the first night, or after a model change);
- the recompute again (nothing changed: no grade written, the usual night);
- with ``--python``, the portable path (correlated counts per subject, grades built in Python) for comparison.

``--keep`` leaves the grades of the last run in place; by default the grades are restored as they were.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from registry.models import Subject
from sanctions.evaluation import services, sql
from sanctions.models import SubjectGrade, SubjectGradeHistory


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time recompute_grades over every subject against a single SQL aggregate of the same factor counts."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=None, help="subjects per statement (or batch)")
        parser.add_argument("--python", action="store_true", help="also time the portable Python path")
        parser.add_argument("--keep", action="store_true", help="keep the grades written by the runs")

    def handle(self, *args, batch_size: int | None, python: bool, keep: bool, **options):
        today = timezone.localdate()
        subjects = Subject.objects.count()
        self.stdout.write(f"subjects: {subjects:,} on {connection.vendor}")
        aggregate_seconds, totals = self._aggregate(today)
        self.stdout.write(f"single SQL aggregate of the factor counts: {aggregate_seconds:.2f} s {totals}")
        runs = (
            [("sql", "from scratch"), ("sql", "again, nothing changed")] if connection.vendor == "postgresql" else []
        )
        if python or not runs:
            runs += [("python", "from scratch"), ("python", "again, nothing changed")]
        try:
            with transaction.atomic():  # every run is undone at the end unless --keep
                for method, label in runs:
                    if label == "from scratch":
                        SubjectGradeHistory.objects.all().delete()
                        SubjectGrade.objects.all().delete()
                    started = time.perf_counter()
                    graded = services.recompute_grades(today=today, batch_size=batch_size, method=method)
                    seconds = time.perf_counter() - started
                    self.stdout.write(f"subjects graded: {graded}")
                    self.stdout.write(
                        f"recompute_grades [{method}, {label}]: {seconds:.2f} s, "
                        f"{graded / max(seconds, 1e-6):,.0f} subjects/s, "
                        f"ratio recompute / aggregate: {seconds / max(aggregate_seconds, 1e-6):.1f}"
                    )
                if not keep:
                    raise _Rollback
        except _Rollback:
            self.stdout.write("grades restored as they were (--keep to keep them)")

    def _aggregate(self, today) -> tuple[float, dict]:
        """The baseline: the recompute's grouped counts over every subject in one statement, summed, no write."""
        model = services.active_model(today=today)
        started = time.perf_counter()
        totals = sql.aggregate_baseline(model=model, bands=services._bands(model), today=today)
        return time.perf_counter() - started, totals
