"""Benchmark: a batch credit check of 10,000 codes against the subject registry, beside raw SQL (issue 5).

Fills the registry up to ``--subjects`` first when it has fewer (run it against a database of its own:
``DATABASE_URL=postgres://…/cp_bench manage.py migrate && … benchmark_credit_check``). Prints the time of the
check's reads (``selectors.check_results``), of the whole recorded check (``services.run_credit_check``), and of
raw SQL fetching the same rows, with the ratios. Aim: within 3× of raw SQL and under 2 s.
"""

from __future__ import annotations

import datetime
import json
import random
import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from credit_portal.access import GROUP_NAMES, Role
from registry import codes as subject_codes
from registry.models import Subject, User

from ... import demo, selectors, services
from ...choices import EntryStatus
from ...models import CreditCheck, CreditCheckItem, ListEntry


class Command(BaseCommand):
    help = "Time a batch credit check of N codes against the registry, beside raw SQL fetching the same rows."

    def add_arguments(self, parser):
        parser.add_argument("--subjects", type=int, default=1_000_000, help="registry size to reach first")
        parser.add_argument("--codes", type=int, default=10_000, help="codes in the batch (default 10000)")
        parser.add_argument("--repeat", type=int, default=5, help="timed runs; the median is reported")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, subjects: int, codes: int, repeat: int, seed: int, **options):
        rng = random.Random(seed)
        self._fill(subjects=subjects, rng=rng)
        clerk = User.objects.filter(groups__name=GROUP_NAMES[Role.CLERK], department__isnull=False).first()
        if clerk is None:
            raise CommandError("no clerk account: run generate_demo first")
        batch = self._batch(codes=codes, rng=rng)
        today = timezone.localdate()
        matter = "government_procurement"

        def reads():
            selectors.check_results(department=clerk.department, matter=matter, codes=batch, today=today)

        def recorded():
            services.run_credit_check(by=clerk, matter=matter, codes=batch, today=today)

        def raw():
            _raw_fetch(batch, today)

        def raw_recorded():
            _raw_fetch_and_record(batch, today, by=clerk)

        reads()  # warm the caches and the connection once
        raw()
        times = {name: _median(run, repeat) for name, run in (("raw SQL", raw), ("check reads", reads))}
        times["raw SQL + record"] = _median(raw_recorded, max(1, repeat // 2))
        times["recorded check"] = _median(recorded, max(1, repeat // 2))
        total = Subject.objects.count()
        listed = ListEntry.objects.filter(status=EntryStatus.PUBLISHED).count()
        self.stdout.write(
            f"batch of {len(batch)} codes against {total} subjects ({listed} published list entries), "
            f"{connection.vendor}"
        )
        pairs = (("check reads", "raw SQL"), ("recorded check", "raw SQL + record"))
        for name, baseline in pairs:
            ratio = times[name] / times[baseline]
            self.stdout.write(
                f"  {name:<15} {times[name] * 1000:8.1f} ms   {baseline:<17} {times[baseline] * 1000:8.1f} ms"
                f"   {ratio:5.2f}×"
            )

    def _fill(self, *, subjects: int, rng: random.Random) -> None:
        from registry import demo as registry_demo

        missing = subjects - Subject.objects.count()
        if missing > 0:
            self.stdout.write(f"creating {missing} subjects …")
            registry_demo.generate(subjects=missing, rng=rng, stdout=self.stdout)
        if not ListEntry.objects.exists():
            demo.generate(rng=rng, today=timezone.localdate(), stdout=self.stdout, scale=subjects)

    def _batch(self, *, codes: int, rng: random.Random) -> list[str]:
        """Mostly registered codes (listed ones among them), 2% unknown, 1% malformed, in random order."""
        first = Subject.objects.order_by("pk").values_list("pk", flat=True).first() or 0
        last = Subject.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        ids = rng.sample(range(first, last + 1), min(last - first + 1, codes * 2))
        known = list(Subject.objects.filter(pk__in=ids, uscc__isnull=False).values_list("uscc", flat=True)[:codes])
        listed = list(
            ListEntry.objects.filter(status=EntryStatus.PUBLISHED, subject__uscc__isnull=False).values_list(
                "subject__uscc", flat=True
            )[: codes // 20]
        )
        batch = listed + known
        batch = batch[: codes - codes // 33]
        while len(batch) < codes - codes // 100:
            batch.append(_unknown_code(rng))
        while len(batch) < codes:
            batch.append("91120111BAD" + str(rng.randint(1000000, 9999999)))
        rng.shuffle(batch)
        return batch


def _unknown_code(rng: random.Random) -> str:
    first_17 = "9112011" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(10))
    return first_17 + subject_codes.check_digit(first_17)


def _median(run, repeat: int) -> float:
    samples = []
    for _n in range(repeat):
        started = time.perf_counter()
        run()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def _raw_fetch(batch: list[str], today: datetime.date) -> list[tuple]:
    """The same rows by hand-written SQL: subjects by code, their current list entries, their public penalties."""
    normalised = [subject_codes.normalise(code) for code in batch]
    with connection.cursor() as cursor:
        marks = ", ".join(["%s"] * len(normalised))
        cursor.execute(f"SELECT id, uscc, name, category FROM registry_subject WHERE uscc IN ({marks})", normalised)
        subjects = cursor.fetchall()
        ids = [row[0] for row in subjects]
        if not ids:
            return subjects
        id_marks = ", ".join(["%s"] * len(ids))
        cursor.execute(
            "SELECT e.subject_id, e.id, e.list_type_id, t.code, t.name, t.color, e.valid_from, e.valid_to, "
            "e.decision_document_number, d.name FROM sanctions_listentry e "
            "JOIN sanctions_listtype t ON t.id = e.list_type_id JOIN registry_department d ON d.id = e.department_id "
            f"WHERE e.subject_id IN ({id_marks}) AND e.status = %s AND e.valid_from <= %s "
            "AND (e.valid_to IS NULL OR e.valid_to >= %s)",
            [*ids, EntryStatus.PUBLISHED, today, today],
        )
        cursor.fetchall()
        try:
            from disclosure.models import Penalty
        except ImportError:
            return subjects
        cursor.execute(
            f"SELECT p.subject_id, p.id, p.document_number, p.decision_date, d.name FROM {Penalty._meta.db_table} p "
            "JOIN registry_department d ON d.id = p.department_id "
            f"WHERE p.subject_id IN ({id_marks}) AND p.status = 'published' AND p.is_publishable "
            "AND p.info_scope = 'public' AND (p.publication_end_date IS NULL OR p.publication_end_date >= %s)",
            [*ids, today],
        )
        cursor.fetchall()
    return subjects


def _raw_fetch_and_record(batch: list[str], today: datetime.date, *, by: User) -> None:
    """The raw fetch plus the same record rows written by hand: one check row, one multi-row INSERT of items."""
    subjects = {row[1]: row for row in _raw_fetch(batch, today)}
    with transaction.atomic(), connection.cursor() as cursor:
        check = CreditCheck.objects.create(by=by, department_id=by.department_id, matter="government_procurement")
        rows = []
        for position, code in enumerate(batch):
            row = subjects.get(subject_codes.normalise(code))
            result = json.dumps({"subject_name": row[2]} if row else {"errors": []}, ensure_ascii=False)
            rows.append(
                (check.pk, position, code[:64], row[0] if row else None, "found" if row else "unknown", False, result)
            )
        table = CreditCheckItem._meta.db_table
        columns = "check_record_id, position, query, subject_id, status, has_hits, result"
        if connection.vendor == "postgresql":
            from psycopg2.extras import execute_values

            execute_values(cursor, f"INSERT INTO {table} ({columns}) VALUES %s", rows, page_size=len(rows))
        else:
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s)", rows)
