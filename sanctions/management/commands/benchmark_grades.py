"""Time the nightly grade recompute beside one SQL aggregate over the same inputs (issue 11 benchmark).

Run after ``generate_demo --subjects 1000000`` on PostgreSQL; prints both times and their ratio.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand
from django.db.models import Sum
from django.utils import timezone

from registry.models import Subject
from sanctions.evaluation.factors import factor_counts
from sanctions.evaluation.services import recompute_grades


class Command(BaseCommand):
    help = "Time recompute_grades over every subject against a single SQL aggregate of the same factor counts."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args, batch_size: int, **options):
        today = timezone.localdate()
        counts = factor_counts(today=today)
        started = time.perf_counter()
        totals = (
            Subject.objects.order_by().annotate(**counts).aggregate(**{f"total_{code}": Sum(code) for code in counts})
        )
        aggregate_seconds = time.perf_counter() - started
        started = time.perf_counter()
        graded = recompute_grades(today=today, batch_size=batch_size)
        recompute_seconds = time.perf_counter() - started
        self.stdout.write(f"subjects graded: {graded}")
        self.stdout.write(f"single SQL aggregate of the factor counts: {aggregate_seconds:.2f} s {totals}")
        self.stdout.write(f"recompute_grades (batch {batch_size}): {recompute_seconds:.2f} s")
        self.stdout.write(f"ratio recompute / aggregate: {recompute_seconds / max(aggregate_seconds, 1e-6):.1f}")
