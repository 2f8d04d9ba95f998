"""The benchmark pairs of issue 10 §3: each portal figure beside a raw-SQL baseline doing the same work.

Every ``bench_*`` function takes a ``Context`` and returns one or more ``Row``s; a missing app API gives a row
"skipped: <why>" instead of an exception, so one broken piece never hides the other figures. Nothing here runs
at import time and nothing needs a server except the HTTP search pair.
"""

from __future__ import annotations

import datetime
import decimal
import http.client
import io
import itertools
import json
import random
import statistics
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.db import connection, connections, transaction

PUBLIC_PENALTY_WHERE = (
    "p.status = 'published' AND p.is_publishable AND p.info_scope = 'public' "
    "AND (p.publication_end_date IS NULL OR p.publication_end_date >= %(today)s)"
)
# The columns the public list endpoint reads (disclosure.public_search.public_penalties, list variant).
PUBLIC_PENALTY_COLUMNS = (
    "p.id, p.subject_id, p.department_id, p.subject_name, p.subject_category, p.uscc, p.registration_number, "
    "p.organization_code, p.tax_registration_number, p.institution_certificate_number, "
    "p.social_org_registration_number, p.legal_representative, p.authority_name, p.authority_uscc, "
    "p.document_number, p.decision_date, p.status, p.is_publishable, p.is_under_objection, p.info_scope, "
    "p.published_at, p.publication_end_date, p.version, p.violation_type, p.penalty_categories, p.fine_amount, "
    "p.confiscated_amount, p.licence_name_and_number, p.penalty_valid_to, p.severity, d.name, d.uscc"
)
RAW_SEARCH_SQL = {
    "code": (
        f"SELECT COUNT(*) FROM disclosure_penalty p WHERE {PUBLIC_PENALTY_WHERE} AND p.uscc = %(q)s",
        f"SELECT {PUBLIC_PENALTY_COLUMNS} FROM disclosure_penalty p JOIN registry_department d "
        f"ON d.id = p.department_id WHERE {PUBLIC_PENALTY_WHERE} AND p.uscc = %(q)s "
        "ORDER BY p.decision_date DESC, p.id DESC LIMIT 20",
    ),
    # Django's icontains on PostgreSQL: UPPER(col::text) LIKE UPPER(%s); natural persons are not name-searchable.
    "name": (
        f"SELECT COUNT(*) FROM disclosure_penalty p WHERE {PUBLIC_PENALTY_WHERE} "
        "AND UPPER(p.subject_name::text) LIKE UPPER(%(like)s) AND NOT (p.subject_category = 'natural_person')",
        f"SELECT {PUBLIC_PENALTY_COLUMNS} FROM disclosure_penalty p JOIN registry_department d "
        f"ON d.id = p.department_id WHERE {PUBLIC_PENALTY_WHERE} "
        "AND UPPER(p.subject_name::text) LIKE UPPER(%(like)s) AND NOT (p.subject_category = 'natural_person') "
        "ORDER BY p.decision_date DESC, p.id DESC LIMIT 20",
    ),
}


@dataclass
class Row:
    """One line of the results table."""

    benchmark: str
    portal: str = ""
    raw: str = ""
    ratio: str = ""
    aim: str = ""
    met: str = ""
    note: str = ""
    figures: dict = field(default_factory=dict)  # numbers for tests and for the README's EXPLAIN section

    @classmethod
    def skipped(cls, benchmark: str, why: str, aim: str = "") -> Row:
        return cls(benchmark, portal="skipped", raw="", aim=aim, met="—", note=f"skipped: {why}")


@dataclass
class Context:
    """What every benchmark may use: the day the jobs run for, sizes, and the portal's server (if started)."""

    today: datetime.date
    job_day: datetime.date
    rng: random.Random
    server_url: str | None = None
    clients: int = 20
    requests: int = 400
    import_rows: int = 100_000
    check_codes: int = 10_000
    outbox_events: int = 5000
    page_requests: int = 20  # per public page, after one cold request (g)
    watch_changes: int = 50_000  # (h) watchlist matching
    watch_lists: int = 1000
    watch_codes: int = 1000
    repeats: int = 3
    log: Callable[[str], None] = print
    explain: dict[str, str] = field(default_factory=dict)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def ratio(portal: float, raw: float) -> str:
    return f"{portal / raw:.1f}×" if raw > 0 else "—"


def p95(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def guarded(name: str, aim: str = ""):
    """Turn an exception of a benchmark into a "skipped: <why>" row: the other benchmarks still run."""

    def decorate(function):
        def run(ctx: Context) -> list[Row]:
            try:
                result = function(ctx)
            except Exception as exc:  # noqa: BLE001 - the table says what went wrong
                ctx.log(traceback.format_exc())
                try:
                    connection.rollback() if not connection.get_autocommit() else None
                except Exception:  # noqa: BLE001
                    pass
                return [Row.skipped(name, f"{exc.__class__.__name__}: {str(exc)[:160]}", aim)]
            return result if isinstance(result, list) else [result]

        run.__name__ = function.__name__
        run.bench_name = name
        return run

    return decorate


def timed(function: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def rolled_back(function: Callable[[], object]) -> tuple[float, object]:
    """Time ``function`` in a transaction that is then rolled back: the data stays the same for the next run."""
    with transaction.atomic():
        elapsed, result = timed(function)
        transaction.set_rollback(True)
    return elapsed, result


# --- (a) public search through HTTP ------------------------------------------------------------------------------


def search_samples(ctx: Context, *, count: int = 200) -> dict[str, list[str]]:
    """Codes of published penalties, and 2-4 character windows of legal persons' names, as visitors type them."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT p.uscc FROM disclosure_penalty p WHERE {PUBLIC_PENALTY_WHERE} AND p.uscc <> '' "
            "ORDER BY 1 LIMIT %(limit)s",
            {"today": ctx.today, "limit": 20 * count},
        )
        codes = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            f"SELECT p.subject_name FROM disclosure_penalty p WHERE {PUBLIC_PENALTY_WHERE} "
            "AND p.subject_category <> 'natural_person' ORDER BY p.id LIMIT %(limit)s",
            {"today": ctx.today, "limit": 20 * count},
        )
        names = [row[0] for row in cursor.fetchall()]
    codes = ctx.rng.sample(codes, min(count, len(codes)))
    windows = []
    for name in ctx.rng.sample(names, min(count, len(names))):
        size = ctx.rng.randint(2, min(4, len(name)))
        start = ctx.rng.randint(0, len(name) - size)
        windows.append(name[start : start + size])
    return {"code": codes, "name": windows}


def drive(function: Callable[[object], None], items: Sequence[object], *, clients: int) -> list[float]:
    """Run ``function(item)`` for every item from ``clients`` threads at once; latency of each call, in seconds."""
    latencies: list[float] = []
    lock = threading.Lock()
    counter = itertools.count()
    errors: list[BaseException] = []

    def worker():
        while True:
            index = next(counter)
            if index >= len(items):
                return
            started = time.perf_counter()
            try:
                function(items[index])
            except BaseException as exc:  # noqa: BLE001 - reported after the run
                errors.append(exc)
                return
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return latencies


class HttpClient:
    """GETs against the benchmark server; counts answers by status."""

    def __init__(self, base_url: str):
        host_port = base_url.split("://", 1)[1].rstrip("/")
        self.host, port = host_port.split(":")
        self.port = int(port)
        self.statuses: dict[int, int] = {}
        self._lock = threading.Lock()
        self._visitor = itertools.count(1)

    def get(self, path: str) -> bytes:
        visitor = next(self._visitor)
        # Each request as a different visitor: the public throttle (300/min per address) must not answer 429 to
        # a load test from one address. serve.py takes the address from X-Forwarded-For, as nginx's real_ip would.
        headers = {"X-Forwarded-For": f"10.{visitor // 65536 % 256}.{visitor // 256 % 256}.{visitor % 256}"}
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            body = response.read()
        finally:
            conn.close()
        with self._lock:
            self.statuses[response.status] = self.statuses.get(response.status, 0) + 1
        return body


def raw_search_pool(size: int) -> list:
    """``size`` psycopg2 connections of their own (the raw side of the search pair)."""
    import psycopg2

    params = connection.get_connection_params()
    pool = []
    for _ in range(size):
        conn = psycopg2.connect(**params)
        conn.autocommit = True
        pool.append(conn)
    return pool


def raw_search_latencies(ctx: Context, kind: str, values: Sequence[str], *, clients: int | None = None) -> list[float]:
    count_sql, page_sql = RAW_SEARCH_SQL[kind]
    clients = clients or ctx.clients
    pool = raw_search_pool(clients)
    free = list(pool)
    lock = threading.Lock()
    local = threading.local()

    def run(value: str) -> None:
        if not hasattr(local, "conn"):
            with lock:
                local.conn = free.pop()
        params = {"today": ctx.today, "q": value, "like": f"%{value}%"}
        with local.conn.cursor() as cursor:
            cursor.execute(count_sql, params)
            cursor.fetchall()
            cursor.execute(page_sql, params)
            cursor.fetchall()

    try:
        return drive(run, values, clients=clients)
    finally:
        for conn in pool:
            conn.close()


def _requests_list(values: Sequence[str], total: int) -> list[str]:
    return [values[index % len(values)] for index in range(total)]


@guarded("(a) public search: exact code, p95", aim="p95 ≤ 3× raw + HTTP overhead")
def bench_search(ctx: Context) -> list[Row]:
    if connection.vendor != "postgresql":
        return [Row.skipped("(a) public search", "needs PostgreSQL")]
    if not ctx.server_url:
        return [Row.skipped("(a) public search", "no HTTP server started (--no-server)")]
    from urllib.parse import urlencode

    samples = search_samples(ctx)
    client = HttpClient(ctx.server_url)
    ping = drive(lambda _item: client.get("/__bench_ping__"), list(range(ctx.requests)), clients=ctx.clients)
    ping_p95 = p95(ping)
    rows = []
    for kind in ("code", "name"):
        if not samples[kind]:
            rows.append(Row.skipped(f"(a) public search by {kind}", "no published penalties to search for"))
            continue
        values = _requests_list(samples[kind], ctx.requests)
        # Warm-up: the first requests of each worker open its database connections and import lazily.
        drive(
            lambda v: client.get("/api/v1/public/penalties/?" + urlencode({"q": v})), values[:40], clients=ctx.clients
        )
        client.statuses.clear()
        portal = drive(
            lambda v: client.get("/api/v1/public/penalties/?" + urlencode({"q": v})), values, clients=ctx.clients
        )
        statuses = dict(client.statuses)
        # One client alone: the cost of a request without queueing behind the other 19 (2 cores here).
        alone = drive(lambda v: client.get("/api/v1/public/penalties/?" + urlencode({"q": v})), values[:50], clients=1)
        raw = raw_search_latencies(ctx, kind, values)
        raw_alone = raw_search_latencies(ctx, kind, values[:50], clients=1)
        portal_p95, raw_p95 = p95(portal), p95(raw)
        if kind == "code":
            aim, limit = "p95 ≤ 3× raw + HTTP overhead", 3 * raw_p95 + ping_p95
        else:
            aim, limit = "p95 < 200 ms", 0.200
        bad = {status: n for status, n in statuses.items() if status != 200}
        note = (
            f"{len(values)} requests, {ctx.clients} clients; medians {ms(statistics.median(portal))} vs "
            f"{ms(statistics.median(raw))}; one client alone: median {ms(statistics.median(alone))} vs "
            f"{ms(statistics.median(raw_alone))}; HTTP overhead (ping) p95 {ms(ping_p95)}"
        )
        if kind == "code":
            note += f", limit {ms(limit)}"
        if bad:
            note += f"; non-200 answers: {bad}"
        rows.append(
            Row(
                f"(a) public search by {'exact code' if kind == 'code' else 'name substring'}: p95 (median)",
                portal=f"{ms(portal_p95)} ({ms(statistics.median(portal))})",
                raw=f"{ms(raw_p95)} ({ms(statistics.median(raw))})",
                ratio=ratio(portal_p95, raw_p95),
                aim=aim,
                met="yes" if portal_p95 <= limit and not bad else "no",
                note=note,
                figures={
                    "portal_p95": portal_p95,
                    "raw_p95": raw_p95,
                    "ping_p95": ping_p95,
                    "alone_median": statistics.median(alone),
                    "statuses": statuses,
                },
            )
        )
    return rows


# --- (b) import rows/s beside COPY ---------------------------------------------------------------------------------


def import_fixture(ctx: Context, *, rows: int, tag: str):
    """A clerk, and ``rows`` good penalty rows (template headers) about registered legal persons."""
    from credit_portal import access
    from registry.models import Subject, User

    clerk = next(
        (
            user
            for user in User.objects.filter(is_active=True, department__isnull=False).order_by("pk")
            if access.is_clerk(user)
        ),
        None,
    )
    if clerk is None:
        raise LookupError("no clerk account with a department (run generate_demo)")
    department = clerk.department
    subjects = list(
        Subject.objects.exclude(uscc="")
        .filter(category="legal_entity")
        .order_by("pk")
        .values_list("pk", "name", "uscc", "legal_representative")[: rows * 3]
    )
    if not subjects:
        raise LookupError("no legal-entity subjects (run generate_demo)")
    decision = ctx.today - datetime.timedelta(days=20)
    data = []
    for index in range(rows):
        pk, name, uscc, representative = subjects[index % len(subjects)]
        data.append(
            {
                "subject_id": pk,
                "行政相对人名称": name,
                "行政相对人类别": "法人及非法人组织",
                "统一社会信用代码": uscc,
                "法定代表人": representative or "李四",
                "行政处罚决定书文号": f"津西基准罚〔{tag}〕{index + 1}号",
                "违法行为类型": "违反食品安全法",
                "违法事实": "经营超过保质期的食品",
                "处罚依据": "《中华人民共和国食品安全法》第一百二十四条",
                "处罚类别": "警告;罚款",
                "处罚内容": "警告，罚款人民币一万元",
                "罚款金额（万元）": "1",
                "处罚决定日期": decision.isoformat(),
                "处罚机关": department.name,
                "处罚机关统一社会信用代码": department.uscc,
            }
        )
    return clerk, department, data


def import_file(data: list[dict], file_format: str) -> bytes:
    from disclosure.imports import templates

    header = [name for name in data[0] if name != "subject_id"]
    return templates.write_table(file_format, [header, *([row[name] for name in header] for row in data)])


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def copy_rows(model, instances: Iterable, *, table: str) -> tuple[float, int]:
    """COPY model instances (their database values) into ``table``; (seconds of the COPY alone, rows)."""
    from django.db.models import JSONField

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    buffer = io.StringIO()
    count = 0
    for obj in instances:
        values = []
        for f in fields:
            value = getattr(obj, f.attname)
            if isinstance(f, JSONField):
                values.append(_copy_text(json.dumps(value, ensure_ascii=False)))
            else:
                values.append(_copy_text(f.get_db_prep_save(value, connection)))
        buffer.write("\t".join(values) + "\n")
        count += 1
    buffer.seek(0)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        elapsed, _ = timed(lambda: cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer))
    return elapsed, count


def penalty_instances(data: list[dict], department, *, now: datetime.datetime, filed_by_id: int | None = None) -> list:
    from disclosure.models import Penalty

    return [
        Penalty(
            created_at=now,
            updated_at=now,
            subject_id=row["subject_id"],
            department_id=department.pk,
            filed_by_id=filed_by_id,
            subject_name=row["行政相对人名称"],
            subject_category="legal_entity",
            uscc=row["统一社会信用代码"],
            legal_representative=row["法定代表人"],
            authority_name=row["处罚机关"],
            authority_uscc=row["处罚机关统一社会信用代码"],
            document_number=row["行政处罚决定书文号"],
            decision_date=datetime.date.fromisoformat(row["处罚决定日期"]),
            content=row["处罚内容"],
            violation_type=row["违法行为类型"],
            violation_facts=row["违法事实"],
            legal_basis=row["处罚依据"],
            penalty_categories=["warning", "fine"],
            fine_amount=decimal.Decimal(row["罚款金额（万元）"]),
        )
        for row in data
    ]


def raw_copy_rate(data: list[dict], department, *, into: str = "table", filed_by_id: int | None = None) -> float:
    """Rows/s of ``COPY`` of the same rows, already in the table's column format; only the COPY is timed.

    ``into="table"`` (the baseline): into ``disclosure_penalty`` itself, in a transaction that is rolled back, its
    deferred foreign keys checked during the COPY (``SET CONSTRAINTS ALL IMMEDIATE``): the raw database doing the
    import's work (the same logged table, its indexes at their real size, the same constraints).
    ``into="scratch"``: into an empty temporary copy of the table (its defaults, checks and indexes, but no WAL,
    no foreign keys and empty indexes), the baseline of the runs before 2026-11-26 13:00, kept for comparison.
    """
    from django.utils import timezone

    instances = penalty_instances(data, department, now=timezone.now(), filed_by_id=filed_by_id)
    with transaction.atomic():
        with connection.cursor() as cursor:
            if into == "table":
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                table = connection.ops.quote_name(type(instances[0])._meta.db_table)
            else:
                cursor.execute(
                    "CREATE TEMP TABLE bench_copy_penalty (LIKE disclosure_penalty INCLUDING DEFAULTS "
                    "INCLUDING IDENTITY INCLUDING CONSTRAINTS INCLUDING INDEXES) ON COMMIT DROP"
                )
                table = "bench_copy_penalty"
        elapsed, count = copy_rows(type(instances[0]), instances, table=table)
        transaction.set_rollback(True)  # the baseline leaves nothing behind
    return count / elapsed


def child_import(argv: list[str]) -> None:
    """Run in a fresh process (``python -c``) by ``bench_import``: one timed import, as a worker runs it.

    Prints JSON: seconds, the job's counts, the process's resident memory before the import and its peak
    (``VmHWM``, this process's own high-water mark; ``ru_maxrss`` would carry the parent's over ``exec``): the
    file is read from disk, so the peak shows what the import itself holds.
    """
    import os
    import sys

    import django

    django.setup()
    import openpyxl  # noqa: F401 - loaded at a worker's start, not during its first import

    from django.core.files.uploadedfile import UploadedFile

    from disclosure.imports import services as imports
    from registry.models import User

    path, file_format, clerk_pk = argv
    clerk = User.objects.select_related("department").get(pk=int(clerk_pk))
    before_kib = _status_kib("VmRSS")
    with open(path, "rb") as handle:
        upload = UploadedFile(handle, name=f"bench.{file_format}", size=os.path.getsize(path))
        elapsed, job = timed(lambda: imports.start_import(by=clerk, kind="penalty", file=upload))
    job.refresh_from_db()
    first_error = (job.errors or [{}])[0].get("message", "")[:80]
    peak_kib = _status_kib("VmHWM")
    sys.stdout.write(
        json.dumps(
            {
                "seconds": elapsed,
                "status": job.status,
                "imported": job.imported,
                "failed": job.failed,
                "first_error": first_error,
                "before_kib": before_kib,
                "peak_kib": peak_kib,
            }
        )
        + "\n"
    )


def _status_kib(name: str) -> int:
    """A memory figure of this process from /proc/self/status (Linux), in KiB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(f"{name}:"):
                return int(line.split()[1])
    return 0


def run_import_in_child(path: str, file_format: str, clerk_pk: int) -> dict:
    """``child_import`` in a new interpreter with this process's environment (database, eager Celery, media)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    completed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from benchmarks.bench import child_import; child_import(sys.argv[1:])",
            path,
            file_format,
            str(clerk_pk),
        ],
        cwd=root,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"import process failed: {completed.stderr.strip().splitlines()[-1:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def reader_rate(path: str, file_format: str) -> float:
    """Rows/s of the import's file reader alone (``readers.open_rows``: cells only, no cleaning or filing)."""
    from disclosure.imports import readers

    with open(path, "rb") as handle:
        started = time.perf_counter()
        with readers.open_rows(handle, name=f"bench.{file_format}") as rows:
            count = sum(1 for _row in rows) - 1
        elapsed = time.perf_counter() - started
    return count / elapsed if elapsed else 0.0


@guarded("(b) import rows/s", aim="≥ 20% of COPY")
def bench_import(ctx: Context) -> list[Row]:
    if connection.vendor != "postgresql":
        return [Row.skipped("(b) import rows/s", "COPY baseline needs PostgreSQL", "≥ 20% of COPY")]
    import os
    import tempfile

    copy_clerk, department, copy_data = import_fixture(ctx, rows=ctx.import_rows, tag="copy")
    # Memory flat in file size: the same import at a fifth of the rows beside the full size.
    sizes = sorted({max(ctx.import_rows // 5, 1), ctx.import_rows})
    rows = []
    for file_format in ("csv", "xlsx"):
        # COPY is measured again beside each format's imports: on a shared machine the load changes in minutes.
        raw_rate = statistics.median(
            raw_copy_rate(copy_data, department, filed_by_id=copy_clerk.pk) for _ in range(ctx.repeats)
        )
        scratch_rate = statistics.median(
            raw_copy_rate(copy_data, department, into="scratch") for _ in range(ctx.repeats)
        )
        runs: dict[int, dict] = {}
        for size in sizes:
            tag = f"{file_format}{size}-{int(time.time())}"
            clerk, _department, data = import_fixture(ctx, rows=size, tag=tag)
            content = import_file(data, file_format)
            del data
            handle, path = tempfile.mkstemp(suffix=f".{file_format}")
            try:
                with os.fdopen(handle, "wb") as file:
                    file.write(content)
                del content
                ctx.log(f"{file_format}: importing {size:,} rows in a fresh process")
                result = run_import_in_child(path, file_format, clerk.pk)
                result["bytes"] = os.path.getsize(path)
                if size == ctx.import_rows:
                    result["reader_rate"] = reader_rate(path, file_format)
            finally:
                os.unlink(path)
            result["rate"] = result["imported"] / result["seconds"] if result["seconds"] else 0.0
            runs[size] = result
        full = runs[ctx.import_rows]
        rate = full["rate"]
        share = rate / raw_rate if raw_rate else 0.0
        peak = (full["peak_kib"] - full["before_kib"]) / 1024
        reader_share = rate / full["reader_rate"] if full.get("reader_rate") else 0.0
        note = (
            f"{ctx.import_rows:,} rows, {full['bytes'] // 1024:,} KiB file; job {full['status']}, "
            f"{full['imported']:,} imported; peak memory +{peak:,.0f} MiB over the worker before the import "
            f"(peak RSS {full['peak_kib'] / 1024:,.0f} MiB)"
        )
        for size in sizes:
            if size != ctx.import_rows:
                small = runs[size]
                note += (
                    f"; {size:,} rows: +{(small['peak_kib'] - small['before_kib']) / 1024:,.0f} MiB, "
                    f"{small['rate']:,.0f} rows/s"
                )
        if full.get("reader_rate"):
            note += (
                f"; the reader alone: {full['reader_rate']:,.0f} rows/s "
                f"({full['reader_rate'] / raw_rate:.0%} of COPY), {reader_share:.0%} of the import's time"
            )
        note += (
            f"; COPY into an empty temporary copy of the table (no WAL, no foreign keys, empty indexes): "
            f"{scratch_rate:,.0f} rows/s, the import {rate / scratch_rate:.1%} of it"
        )
        if full["failed"]:
            note += f", {full['failed']} failed (first: {full['first_error']})"
        rows.append(
            Row(
                f"(b) {file_format} import: rows/s",
                portal=f"{rate:,.0f} rows/s",
                raw=f"{raw_rate:,.0f} rows/s (COPY into the table)",
                ratio=f"{share:.1%} of COPY",
                aim="≥ 20% of COPY",
                met="yes" if share >= 0.20 and full["imported"] == ctx.import_rows else "no",
                note=note,
                figures={
                    "rate": rate,
                    "raw_rate": raw_rate,
                    "scratch_rate": scratch_rate,
                    "imported": full["imported"],
                    "peak_mib": peak,
                    "runs": runs,
                },
            )
        )
    return rows


# --- (c) credit check of a batch ---------------------------------------------------------------------------------

RAW_CHECK_SQL = (
    """
WITH q AS (SELECT code, ord FROM unnest(%(codes)s::text[]) WITH ORDINALITY AS t(code, ord)),
s AS (SELECT q.ord, q.code, s.id, s.name, s.category FROM q LEFT JOIN registry_subject s ON s.uscc = q.code),
h AS (
    SELECT e.subject_id, jsonb_agg(jsonb_build_object(
        'entry_id', e.id, 'list_type_id', e.list_type_id, 'list_type', lt.code, 'list_type_name', lt.name,
        'color', lt.color, 'valid_from', e.valid_from, 'valid_to', e.valid_to,
        'decision_document_number', e.decision_document_number, 'department', d.name)
        ORDER BY lt.color, e.valid_from, e.id) AS hits
    FROM sanctions_listentry e
    JOIN sanctions_listtype lt ON lt.id = e.list_type_id
    JOIN registry_department d ON d.id = e.department_id
    WHERE e.subject_id IN (SELECT id FROM s WHERE id IS NOT NULL) AND e.status = 'published'
      AND e.valid_from <= %(today)s AND (e.valid_to IS NULL OR e.valid_to >= %(today)s)
    GROUP BY e.subject_id
),
p AS (
    SELECT p.subject_id, count(*) AS n, jsonb_agg(jsonb_build_object(
        'id', p.id, 'document_number', p.document_number, 'decision_date', p.decision_date, 'department', d.name)
        ORDER BY p.decision_date DESC, p.id DESC) AS items
    FROM disclosure_penalty p JOIN registry_department d ON d.id = p.department_id
    WHERE p.subject_id IN (SELECT id FROM s WHERE id IS NOT NULL) AND """
    + PUBLIC_PENALTY_WHERE
    + """
    GROUP BY p.subject_id
)
INSERT INTO bench_check_items (position, query, subject_id, has_hits, result)
SELECT s.ord - 1, s.code, s.id, (h.hits IS NOT NULL OR p.n IS NOT NULL),
       jsonb_build_object('subject_name', s.name, 'list_hits', h.hits, 'penalties', p.items, 'count', p.n)
FROM s LEFT JOIN h ON h.subject_id = s.id LEFT JOIN p ON p.subject_id = s.id
RETURNING has_hits
"""
)


def check_codes(ctx: Context) -> list[str]:
    """``check_codes`` registered codes: every subject on a list first (so that hits occur), then random ones."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT s.uscc FROM registry_subject s JOIN sanctions_listentry e ON e.subject_id = s.id "
            "WHERE s.uscc <> '' LIMIT %s",
            [ctx.check_codes // 5],
        )
        listed = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT uscc FROM registry_subject WHERE uscc <> '' ORDER BY md5(id::text) LIMIT %s", [ctx.check_codes]
        )
        others = [row[0] for row in cursor.fetchall()]
    codes = list(dict.fromkeys(listed + others))[: ctx.check_codes]
    ctx.rng.shuffle(codes)
    return codes


def raw_credit_check(codes: list[str], today: datetime.date) -> tuple[float, int]:
    """The same reads as one SQL statement that also writes one result row per code; (seconds, hits)."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE bench_check_items (position int, query text, subject_id bigint, has_hits bool, "
                "result jsonb) ON COMMIT DROP"
            )
            elapsed, hits = timed(
                lambda: (
                    cursor.execute(RAW_CHECK_SQL, {"codes": codes, "today": today}),
                    sum(1 for (hit,) in cursor.fetchall() if hit),
                )[1]
            )
    return elapsed, hits


def portal_credit_check(clerk, codes: list[str], today: datetime.date) -> tuple[float, int]:
    from sanctions import services as sanctions

    elapsed, (check, _results) = timed(
        lambda: sanctions.run_credit_check(by=clerk, matter="bidding", codes=codes, today=today)
    )
    return elapsed, check.hit_count


@guarded("(c) batch credit check", aim="< 2 s")
def bench_credit_check(ctx: Context) -> list[Row]:
    if connection.vendor != "postgresql":
        return [Row.skipped("(c) batch credit check", "raw baseline needs PostgreSQL", "< 2 s")]
    clerk, _department, _data = import_fixture(ctx, rows=1, tag="check")
    codes = check_codes(ctx)
    portal_times, raw_times = [], []
    portal_hits = raw_hits = 0
    for _ in range(ctx.repeats):
        elapsed, raw_hits = raw_credit_check(codes, ctx.today)
        raw_times.append(elapsed)
        elapsed, portal_hits = portal_credit_check(clerk, codes, ctx.today)
        portal_times.append(elapsed)
    portal, raw = statistics.median(portal_times), statistics.median(raw_times)
    note = f"{len(codes)} codes, {portal_hits} with hits (raw: {raw_hits}); median of {ctx.repeats}"
    if portal_hits != raw_hits:
        note += " — hit counts differ!"
    return [
        Row(
            f"(c) credit check of {len(codes):,} codes (run_credit_check)",
            portal=f"{portal:.2f} s",
            raw=f"{raw:.2f} s",
            ratio=ratio(portal, raw),
            aim="< 2 s",
            met="yes" if portal < 2 else "no",
            note=note,
            figures={"portal": portal, "raw": raw, "portal_hits": portal_hits, "raw_hits": raw_hits},
        )
    ]


# --- (d) deadline scan and expiry --------------------------------------------------------------------------------

RAW_OVERDUE_SQL = """
WITH u AS (
    UPDATE {table} SET timeliness = 'overdue', updated_at = now()
    WHERE status = 'draft' AND is_publishable AND timeliness = 'pending' AND publication_due_date < %(day)s
    RETURNING department_id
)
SELECT department_id, count(*) FROM u GROUP BY department_id
"""

# Personal columns never leave in an upstream payload (DOMAIN §3, §10).
PRIVATE_COLUMNS = " - 'id_number_encrypted' - 'id_number_masked' - 'legal_representative_id_number_encrypted'"
RAW_EXPIRY_SQL = """
WITH u AS (
    UPDATE {table} SET status = 'expired', updated_at = now(){extra}
    WHERE status = 'published' AND {condition} < %(day)s
    RETURNING *
), o AS (
    INSERT INTO exchange_outboxevent (kind, action, content_type_id, object_id, department_id, payload,
        idempotency_key, status, attempts, next_attempt_at, last_error, upstream_id, created_at)
    SELECT %(kind)s, 'withdraw', %(content_type)s, u.id, u.department_id,
        (to_jsonb(u){private}) || jsonb_build_object('source_department_name', d.name,
                                                     'source_department_uscc', d.uscc),
        md5(random()::text || clock_timestamp()::text || u.id::text), 'pending', 0, now(), '', '', now()
    FROM u JOIN registry_department d ON d.id = u.department_id
    RETURNING object_id
)
INSERT INTO credit_portal_auditevent (at, action, content_type_id, object_id, object_repr, detail)
SELECT now(), 'expired', %(content_type)s, o.object_id::text, '', '{{}}'::jsonb FROM o
"""


OVERDUE_CONDITION = "status = 'draft' AND is_publishable AND timeliness = 'pending' AND publication_due_date < %(day)s"


def raw_mark_overdue(day: datetime.date) -> int:
    """The scan in SQL: per-department counts and the UPDATE (one statement on PostgreSQL, two elsewhere)."""
    total = 0
    with connection.cursor() as cursor:
        for table in ("disclosure_licensing", "disclosure_penalty"):
            if connection.vendor == "postgresql":
                cursor.execute(RAW_OVERDUE_SQL.format(table=table), {"day": day})
                total += sum(count for _department, count in cursor.fetchall())
                continue
            cursor.execute(
                f"SELECT department_id, count(*) FROM {table} WHERE {OVERDUE_CONDITION} GROUP BY department_id",
                {"day": day},
            )
            cursor.fetchall()
            cursor.execute(
                f"UPDATE {table} SET timeliness = 'overdue', updated_at = CURRENT_TIMESTAMP WHERE {OVERDUE_CONDITION}",
                {"day": day},
            )
            total += cursor.rowcount
    return total


def raw_expire(day: datetime.date) -> int:
    from django.contrib.contenttypes.models import ContentType

    from disclosure.models import Licensing, Penalty

    total = 0
    jobs = (
        (Penalty, "publication_end_date", ""),
        (Licensing, "valid_to", ", current_state = 'invalid'"),
    )
    with connection.cursor() as cursor:
        for model, condition, extra in jobs:
            sql = RAW_EXPIRY_SQL.format(
                table=model._meta.db_table, condition=condition, extra=extra, private=PRIVATE_COLUMNS
            )
            params = {
                "day": day,
                "kind": str(model.upstream_kind),
                "content_type": ContentType.objects.get_for_model(model).pk,
            }
            cursor.execute(sql, params)
            total += cursor.rowcount
    return total


def _job_pair(
    ctx: Context, name: str, portal_job, raw_job, aim_seconds: float, *, day: datetime.date | None = None
) -> Row:
    day = day or ctx.job_day
    portal_times, raw_times = [], []
    portal_rows = raw_rows = 0
    for _ in range(ctx.repeats):
        elapsed, raw_rows = rolled_back(lambda: raw_job(day))
        raw_times.append(elapsed)
        elapsed, portal_rows = rolled_back(lambda: portal_job(day))
        portal_times.append(elapsed)
    portal, raw = statistics.median(portal_times), statistics.median(raw_times)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM disclosure_licensing) + (SELECT count(*) FROM disclosure_penalty)"
        )
        records = cursor.fetchone()[0]
    note = (
        f"{records:,} records scanned, {portal_rows:,} changed (raw: {raw_rows:,}) for day {day}; "
        f"median of {ctx.repeats}, each rolled back"
    )
    if portal_rows != raw_rows:
        note += " — row counts differ!"
    return Row(
        name,
        portal=f"{portal:.2f} s",
        raw=f"{raw:.2f} s",
        ratio=ratio(portal, raw),
        aim=f"< {aim_seconds:.0f} s",
        met="yes" if portal < aim_seconds else "no",
        note=note,
        figures={"portal": portal, "raw": raw, "portal_rows": portal_rows, "raw_rows": raw_rows},
    )


@guarded("(d) deadline scan (mark_overdue)", aim="< 10 s")
def bench_deadline_scan(ctx: Context) -> list[Row]:
    from disclosure import services as disclosure

    return [
        _job_pair(
            ctx,
            "(d) deadline scan (mark_overdue)",
            lambda day: disclosure.mark_overdue(today=day),
            raw_mark_overdue,
            10,
        )
    ]


@guarded("(d) expiry job (expire_records)", aim="< 10 s")
def bench_expiry(ctx: Context) -> list[Row]:
    if connection.vendor != "postgresql":
        return [Row.skipped("(d) expiry job (expire_records)", "raw baseline needs PostgreSQL", "< 10 s")]
    from disclosure import services as disclosure

    # The job runs every night (credit_portal/jobs.py): its usual work is one day's due records found among all of
    # them. The second row is the catch-up of --job-day-offset days at once (the job stopped for a month).
    tomorrow = ctx.today + datetime.timedelta(days=1)
    return [
        _job_pair(
            ctx,
            "(d) expiry job (expire_records), nightly run",
            lambda day: disclosure.expire_records(today=day),
            raw_expire,
            10,
            day=tomorrow,
        ),
        _job_pair(
            ctx,
            f"(d) expiry job (expire_records), {(ctx.job_day - ctx.today).days} days at once",
            lambda day: disclosure.expire_records(today=day),
            raw_expire,
            10,
        ),
    ]


# --- (e) outbox push ---------------------------------------------------------------------------------------------


def queue_events(count: int) -> list[int]:
    """Pending upsert events for ``count`` records (written as the services write them; not timed)."""
    from credit_portal.exchange import outbox
    from credit_portal.exchange.models import OutboxEvent
    from disclosure.models import Licensing, Penalty

    before = set(OutboxEvent.objects.filter(status=OutboxEvent.Status.PENDING).values_list("pk", flat=True))
    remaining = count
    for model in (Penalty, Licensing):
        ids = list(model.objects.order_by("pk").values_list("pk", flat=True)[:remaining])
        for start in range(0, len(ids), 2000):
            with transaction.atomic():
                outbox.enqueue_many(model, ids[start : start + 2000], action=outbox.Action.UPSERT)
        remaining -= len(ids)
        if remaining <= 0:
            break
    pending = OutboxEvent.objects.filter(status=OutboxEvent.Status.PENDING).values_list("pk", flat=True)
    return sorted(set(pending) - before)


def raw_outbox(ids: list[int], *, batch_size: int) -> float:
    """INSERT the same rows into a scratch outbox and mark them delivered, batch by batch, one commit each."""
    from psycopg2.extras import execute_values

    columns = [
        "id",
        "kind",
        "action",
        "content_type_id",
        "object_id",
        "department_id",
        "payload",
        "idempotency_key",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "upstream_id",
        "created_at",
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns)} FROM exchange_outboxevent WHERE id = ANY(%s) ORDER BY id", [ids])
        rows = [list(row) for row in cursor.fetchall()]
        cursor.execute("DROP TABLE IF EXISTS bench_outbox")
        cursor.execute("CREATE TEMP TABLE bench_outbox (LIKE exchange_outboxevent INCLUDING ALL)")
    payload_index = columns.index("payload")
    for row in rows:
        row[payload_index] = json.dumps(row[payload_index], ensure_ascii=False)
    started = time.perf_counter()
    for start in range(0, len(rows), batch_size):
        batch = rows[start : start + batch_size]
        with transaction.atomic(), connection.cursor() as cursor:
            execute_values(cursor.cursor, f"INSERT INTO bench_outbox ({', '.join(columns)}) VALUES %s", batch)
            cursor.execute(
                "UPDATE bench_outbox SET status = 'delivered', attempts = attempts + 1, delivered_at = now(), "
                "last_attempt_at = now(), upstream_id = 'U' || id WHERE id = ANY(%s)",
                [[row[0] for row in batch]],
            )
    elapsed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_outbox")
    return len(rows) / elapsed


@guarded("(e) outbox push", aim="≥ 1,000 events/s")
def bench_outbox(ctx: Context) -> list[Row]:
    if connection.vendor != "postgresql":
        return [Row.skipped("(e) outbox push", "raw baseline needs PostgreSQL", "≥ 1,000 events/s")]
    from django.conf import settings

    from credit_portal.exchange import services as exchange
    from credit_portal.exchange.fake_upstream import FakeUpstream

    ids = queue_events(ctx.outbox_events)
    if not ids:
        return [Row.skipped("(e) outbox push", "no records to write events for", "≥ 1,000 events/s")]
    batch = settings.UPSTREAM_BATCH_SIZE
    raw_rate = raw_outbox(ids, batch_size=batch)
    fake = FakeUpstream(port=0, token=settings.UPSTREAM_TOKEN).start()
    saved_url = settings.UPSTREAM_URL
    settings.UPSTREAM_URL = fake.url
    try:
        elapsed, outcome = timed(lambda: exchange.drain_outbox(batch_size=batch, time_budget_seconds=3600))
    finally:
        settings.UPSTREAM_URL = saved_url
        fake.stop()
    delivered = outcome.get("accepted", 0) + outcome.get("duplicate", 0)
    rate = delivered / elapsed if elapsed else 0.0
    return [
        Row(
            "(e) outbox push to the fake upstream: events/s",
            portal=f"{rate:,.0f} events/s",
            raw=f"{raw_rate:,.0f} events/s (INSERT+UPDATE)",
            ratio=f"{rate / raw_rate:.1%} of raw" if raw_rate else "—",
            aim="≥ 1,000 events/s",
            met="yes" if rate >= 1000 else "no",
            note=f"{len(ids):,} events queued, outcome {dict(outcome)}, batches of {batch}",
            figures={"rate": rate, "raw_rate": raw_rate, "delivered": delivered, "queued": len(ids)},
        )
    ]


# --- (f) credit-report PDF ---------------------------------------------------------------------------------------


@guarded("(f) credit-report PDF", aim="< 1 s per report")
def bench_report(ctx: Context) -> list[Row]:
    """Issue reports for subjects with and without records; no raw baseline exists for rendering a PDF."""
    from django.apps import apps

    name, aim = "(f) credit-report PDF (issue_credit_report)", "< 1 s per report"
    if not apps.is_installed("credit_portal.reports"):
        return [Row(name, portal="not built yet", aim=aim, met="—", note="credit_portal.reports is not installed")]
    from credit_portal.reports import selectors as report_selectors
    from credit_portal.reports import services as reports
    from registry.models import Subject

    with_records = list(Subject.objects.filter(penalties__isnull=False).order_by("pk").distinct()[:5])
    others = list(Subject.objects.exclude(pk__in=[s.pk for s in with_records]).order_by("pk")[:5])
    subjects = with_records + others
    if not subjects:
        return [Row.skipped(name, "no subjects", aim)]
    # The first report of a process loads the fonts and templates: timed apart, as "cold".
    cold, _ = timed(lambda: reports.issue_credit_report(subject=subjects[-1], site_url="http://127.0.0.1:8000"))
    totals, reads = [], []
    for subject in subjects:
        elapsed, _profile = timed(lambda s=subject: report_selectors.subject_profile(subject=s, today=ctx.today))
        reads.append(elapsed)
        elapsed, (_report, content) = timed(
            lambda s=subject: reports.issue_credit_report(subject=s, site_url="http://127.0.0.1:8000")
        )
        totals.append(elapsed)
    worst = max(totals)
    return [
        Row(
            name,
            portal=f"{statistics.median(totals):.2f} s median, {worst:.2f} s worst",
            raw="—",
            ratio="—",
            aim=aim,
            met="yes" if worst < 1 else "no",
            note=(
                f"{len(subjects)} warm reports ({len(with_records)} subjects with penalties), first (cold) one "
                f"{cold:.2f} s; the reads "
                f"(subject_profile) take {ms(statistics.median(reads))} of it (median); last PDF {len(content) // 1024} KiB"
            ),
            figures={"median": statistics.median(totals), "worst": worst, "cold": cold},
        )
    ]


# --- (g) public pages: server time (issue 8) ------------------------------------------------------------------------


def public_page_urls() -> dict[str, str]:
    """The main public pages, with one detail page of each kind taken from the data (name -> URL)."""
    from campaigns.models import Campaign
    from disclosure.models import Licensing, Penalty
    from sanctions.models import ListEntry

    pages = {
        "home": "/",
        "双公示 penalties": "/publicity/penalties/",
        "双公示 penalties by name": "/publicity/penalties/?q=%E5%A4%A9%E6%B4%A5",
        "双公示 licensings": "/publicity/licensings/",
        "lists": "/lists/",
        "repair application": "/repair/apply/",
        "objection": "/repair/objection/",
        "subject search": "/subjects/?q=%E5%A4%A9%E6%B4%A5",
        "credit report": "/credit-report/",
        "campaigns": "/campaigns/",
        "role models": "/campaigns/role-models/",
        "complaint": "/campaigns/complaints/new/",
        "code check": "/code-check/",
        "open data": "/open-data/",
    }
    penalty = Penalty.objects.public().filter(subject__category="legal_entity").order_by("-pk").first()
    if penalty is not None:
        pages["penalty detail"] = f"/publicity/penalties/{penalty.pk}/"
        pages["subject profile"] = f"/subjects/{penalty.subject_id}/"
    licensing = Licensing.objects.public().order_by("-pk").first()
    if licensing is not None:
        pages["licensing detail"] = f"/publicity/licensings/{licensing.pk}/"
    entry = ListEntry.objects.public().order_by("-pk").first()
    if entry is not None:
        pages["list entry"] = f"/lists/{entry.pk}/"
        pages["listed subject profile"] = f"/subjects/{entry.subject_id}/"
    campaign = Campaign.objects.public().order_by("-pk").first()
    if campaign is not None:
        pages["campaign detail"] = f"/campaigns/{campaign.pk}/"
    return pages


@guarded("(g) public pages: server time", aim="< 300 ms per page")
def bench_pages(ctx: Context) -> list[Row]:
    """Each public page rendered in process (Django's WSGI handler, no network): the server's own time.

    The first request of a page is timed apart as "cold" (caches empty); the figure per page is the p95 of the
    warm ones, and the aim holds when every page's p95 is under 300 ms. There is no raw baseline for a page.
    """
    from django.test import Client

    name, aim = "(g) public pages: slowest page's server time, p95 (median)", "< 300 ms per page"
    client = Client()
    requests_per_page = ctx.page_requests
    results = {}
    for number, (page, url) in enumerate(public_page_urls().items()):
        times, statuses = [], set()
        for attempt in range(requests_per_page + 1):
            address = f"10.{number % 250}.{attempt // 250}.{attempt % 250 + 1}"  # each request its own visitor
            elapsed, response = timed(lambda u=url, a=address: client.get(u, REMOTE_ADDR=a))
            times.append(elapsed)
            statuses.add(response.status_code)
        if statuses != {200}:
            raise AssertionError(f"{url} answered {sorted(statuses)}")
        warm = times[1:]
        results[page] = {"cold": times[0], "median": statistics.median(warm), "p95": p95(warm), "url": url}
    slowest = max(results, key=lambda page: results[page]["p95"])
    worst = results[slowest]
    over = [page for page, figures in results.items() if figures["p95"] >= 0.3]
    per_page = "; ".join(f"{page} {ms(figures['p95'])}" for page, figures in results.items())
    return [
        Row(
            name,
            portal=f"{ms(worst['p95'])} ({ms(worst['median'])}), {slowest}",
            raw="—",
            ratio="—",
            aim=aim,
            met="yes" if not over else "no: " + ", ".join(over),
            note=(
                f"{len(results)} pages × {requests_per_page} requests in process after one cold request each "
                f"(slowest cold {ms(max(f['cold'] for f in results.values()))}); p95 per page: {per_page}"
            ),
            figures=results,
        )
    ]


# --- (h) watchlist matching --------------------------------------------------------------------------------------

# A code per number: '91120111' + 10 digits (shaped like a code; the matching join never validates).
WATCH_CODE_SQL = "'91120111' || lpad(({n})::text, 10, '0')"
RAW_WATCH_SQL = """
CREATE TEMP TABLE bench_watch_match AS
SELECT DISTINCT wl.owner_id, ce.id AS change_id
FROM opendata_changeevent ce
JOIN watch_watchedsubject ws ON ws.uscc = ce.uscc
JOIN watch_watchlist wl ON wl.id = ws.watchlist_id
WHERE ce.id > %(after)s AND ce.uscc <> ''
"""


def watch_fixture(*, changes: int, lists: int, codes: int, lists_per_owner: int = 2, endpoint_share: int = 10) -> dict:
    """Watchlists, watched codes and one day's change events written in SQL (call inside a rolled-back transaction).

    ``lists`` lists of ``codes`` codes each, two lists per owner, over a universe of ``lists * codes / 5`` codes (so a
    code is on about five lists and lists of one owner overlap); changes spread over twice that universe, so about half
    of them touch a watched subject. Every ``endpoint_share``-th owner has a webhook endpoint. The matching cursor is
    moved past the existing change events, so that only these changes are matched.
    """
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from credit_portal.opendata.models import ChangeEvent
    from credit_portal.watch.models import MatchCursor, Watchlist, WebhookEndpoint

    universe = max(codes + 1, lists * codes // 5)
    owners_count = max(1, lists // lists_per_owner)
    User = get_user_model()
    owners = User.objects.bulk_create([User(username=f"bench_watch_{n}") for n in range(owners_count)])
    now = timezone.now()
    watchlists = Watchlist.objects.bulk_create(
        [
            Watchlist(owner=owners[n % owners_count], name=f"清单{n}", created_at=now, updated_at=now)
            for n in range(lists)
        ],
        batch_size=2000,
    )
    WebhookEndpoint.objects.bulk_create(
        [
            WebhookEndpoint(owner=owner, url=f"https://hook{n}.example.com/", secret_encrypted="-")
            for n, owner in enumerate(owners)
            if n % endpoint_share == 0
        ]
    )
    after = ChangeEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    MatchCursor.objects.update_or_create(pk=1, defaults={"last_change_id": after})
    ids = [w.pk for w in watchlists]
    with connection.cursor() as cursor:
        # g * 104729 (a prime) mod the universe: 1,000 different codes per list, different offsets per list.
        cursor.execute(
            "INSERT INTO watch_watchedsubject (watchlist_id, uscc, added_at) "
            f"SELECT wl, {WATCH_CODE_SQL.format(n='(wl * 7919 + g * 104729) %% %(universe)s')}, now() "
            "FROM unnest(%(ids)s::bigint[]) AS wl CROSS JOIN generate_series(1, %(codes)s) AS g",
            {"ids": ids, "codes": codes, "universe": universe},
        )
        cursor.execute(
            "INSERT INTO opendata_changeevent (source_event_id, occurred_at, kind, action, object_id, uscc, summary) "
            "SELECT -1000000000 - g - %(after)s, now(), 'penalty', 'published', g, "
            f"{WATCH_CODE_SQL.format(n='(g::bigint * 15485863) %% (2 * %(universe)s)')}, "
            "jsonb_build_object('subject_name', '基准测试企业' || g) FROM generate_series(1, %(changes)s) AS g",
            {"changes": changes, "universe": universe, "after": after},
        )
        cursor.execute("ANALYZE watch_watchedsubject")
        cursor.execute("ANALYZE opendata_changeevent")
        cursor.execute("ANALYZE watch_watchlist")
    return {"after": after, "owners": owners_count, "universe": universe}


def raw_watch_match(after: int) -> int:
    """The single SQL join: changes × watched codes × lists, one row per (owner, change), into a temporary table."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_watch_match")
        cursor.execute(RAW_WATCH_SQL, {"after": after})
        cursor.execute("SELECT count(*) FROM bench_watch_match")
        return cursor.fetchone()[0]


@guarded("(h) watchlist matching", aim="—")
def bench_watch(ctx: Context) -> list[Row]:
    name = (
        f"(h) watchlist matching: {ctx.watch_changes:,} changes × {ctx.watch_lists:,} lists of "
        f"{ctx.watch_codes:,} codes"
    )
    if connection.vendor != "postgresql":
        return [Row.skipped(name, "the fixture is written in PostgreSQL SQL", "—")]
    from credit_portal.watch import services as watch

    with transaction.atomic():
        started = time.perf_counter()
        fixture = watch_fixture(changes=ctx.watch_changes, lists=ctx.watch_lists, codes=ctx.watch_codes)
        setup = time.perf_counter() - started
        portal_times, raw_times, outcome, raw_rows = [], [], {}, 0
        for _ in range(ctx.repeats):
            elapsed, raw_rows = rolled_back(lambda: raw_watch_match(fixture["after"]))
            raw_times.append(elapsed)
            elapsed, outcome = rolled_back(lambda: watch.match_changes(batch_size=ctx.watch_changes))
            portal_times.append(elapsed)
        transaction.set_rollback(True)
    portal, raw = statistics.median(portal_times), statistics.median(raw_times)
    note = (
        f"{fixture['owners']:,} owners (2 lists each), codes drawn from {fixture['universe']:,}; "
        f"{outcome.get('matches', 0):,} matches (raw: {raw_rows:,}), {outcome.get('deliveries', 0):,} webhook deliveries "
        f"written, notifications and cursor included; fixture written in {setup:.1f} s; median of {ctx.repeats}, "
        "each rolled back"
    )
    if outcome.get("matches") != raw_rows:
        note += " — match counts differ!"
    return [
        Row(
            name,
            portal=f"{portal:.2f} s",
            raw=f"{raw:.2f} s (one join)",
            ratio=ratio(portal, raw),
            aim="— (issue 12: shown beside one SQL join)",
            met="—",
            note=note,
            figures={"portal": portal, "raw": raw, "matches": outcome.get("matches"), "raw_rows": raw_rows},
        )
    ]


# --- (i) nightly grade recompute (issue 11) ------------------------------------------------------------------------

GRADES_AIM_MINUTES = 10  # issue 11: "1,000,000 subjects in minutes" on PostgreSQL


def raw_grade_aggregate(today: datetime.date) -> dict[str, int]:
    """One SQL statement computing every subject's factor counts (the recompute's inputs), summed; no write."""
    from sanctions.evaluation import services, sql

    model = services.active_model(today=today)
    return sql.aggregate_baseline(model=model, bands=services._bands(model), today=today)


def portal_grades(today: datetime.date, *, from_scratch: bool) -> int:
    """``recompute_grades`` over every subject: after deleting every grade (the first night, a model change) or not."""
    from sanctions.evaluation import services
    from sanctions.models import SubjectGrade, SubjectGradeHistory

    if from_scratch:
        SubjectGradeHistory.objects.all().delete()
        SubjectGrade.objects.all().delete()
    return services.recompute_grades(today=today)


@guarded("(i) nightly grade recompute (recompute_grades)", aim=f"≤ {GRADES_AIM_MINUTES} min per 1,000,000 subjects")
def bench_grades(ctx: Context) -> list[Row]:
    from registry.models import Subject

    aim = f"≤ {GRADES_AIM_MINUTES} min per 1,000,000 subjects"
    subjects = Subject.objects.count()
    raw, totals = timed(lambda: raw_grade_aggregate(ctx.today))
    rows = []
    for label, from_scratch in (("every grade written", True), ("nothing changed", False)):
        times, graded = [], 0
        for _ in range(ctx.repeats):
            if from_scratch:
                elapsed, graded = rolled_back(lambda: portal_grades(ctx.today, from_scratch=True))
            else:
                elapsed, graded = timed(lambda: portal_grades(ctx.today, from_scratch=False))
            times.append(elapsed)
        portal = statistics.median(times)
        per_million = portal / max(subjects, 1) * 1_000_000 / 60
        rows.append(
            Row(
                f"(i) nightly grade recompute, {label}",
                portal=f"{portal:.2f} s",
                raw=f"{raw:.2f} s",
                ratio=ratio(portal, raw),
                aim=aim,
                met="yes" if per_million <= GRADES_AIM_MINUTES else "no",
                note=(
                    f"{graded:,} of {subjects:,} subjects graded on {connection.vendor}, "
                    f"{graded / max(portal, 1e-9):,.0f} subjects/s ≈ {per_million:.1f} min per 1,000,000; "
                    f"raw: one aggregate of the same factor counts {totals}; median of {ctx.repeats}"
                ),
                figures={"portal": portal, "raw": raw, "graded": graded, "totals": totals},
            )
        )
    return rows


BENCHMARKS = (
    bench_search,
    bench_import,
    bench_credit_check,
    bench_deadline_scan,
    bench_expiry,
    bench_outbox,
    bench_report,
    bench_pages,
    bench_watch,
    bench_grades,
)


def table(rows: Sequence[Row]) -> str:
    """The markdown table of results."""
    lines = [
        "| benchmark | portal | raw baseline | ratio | aim (issue 10) | met? | notes |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        cells = [row.benchmark, row.portal, row.raw, row.ratio, row.aim, row.met, row.note]
        lines.append("| " + " | ".join(" ".join(str(cell).split()).replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines)


# --- EXPLAIN of the hot queries ----------------------------------------------------------------------------------


def _captured(function: Callable[[], object], *, rollback: bool = False) -> list[str]:
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connections["default"]) as captured:
        if rollback:
            rolled_back(function)
        else:
            function()
    return [query["sql"] for query in captured.captured_queries]


def explain(sql: str, *, rollback: bool = False) -> str:
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        if rollback:
            transaction.set_rollback(True)
    return plan


def shorten(sql: str, limit: int = 600) -> str:
    return sql if len(sql) <= limit else sql[:limit] + f" … ({len(sql):,} characters)"


def explain_hot_queries(ctx: Context) -> list[tuple[str, str, str]]:
    """(title, SQL, plan) of the public searches, the credit-check reads and the deadline scan, as the ORM sends them."""
    from credit_portal.paginators import CappedPaginator
    from disclosure import public_search

    results: list[tuple[str, str, str]] = []
    samples = search_samples(ctx, count=5)

    def search(value: str):
        # As the API pages it: the first page, then the capped count when the page is full.
        queryset = public_search.PublicPenaltyFilter({"q": value}, queryset=public_search.public_penalties()).qs
        list(CappedPaginator(queryset, 20).page(1))

    for kind, title in (("code", "public search by exact code"), ("name", "public search by name substring")):
        if samples[kind]:
            for sql in _captured(lambda value=samples[kind][0]: search(value)):
                results.append((f"{title} (q={samples[kind][0]})", sql, explain(sql)))
    try:
        from registry.models import Department
        from sanctions import selectors as sanctions_selectors

        codes = check_codes(ctx)
        department = Department.objects.order_by("pk").first()
        for sql in _captured(
            lambda: sanctions_selectors.check_results(
                department=department, matter="bidding", codes=codes, today=ctx.today
            )
        ):
            if "ANY(" in sql or " IN (" in sql and len(sql) > 2000:
                results.append((f"credit check of {len(codes):,} codes", sql, explain(sql)))
    except Exception as exc:  # noqa: BLE001
        results.append(("credit check", "", f"not explained: {exc}"))
    try:
        from disclosure import services as disclosure

        for sql in _captured(lambda: disclosure.mark_overdue(today=ctx.job_day), rollback=True):
            if sql.lstrip().upper().startswith("UPDATE") or "GROUP BY" in sql and "publication_due_date" in sql:
                results.append((f"deadline scan (mark_overdue, day {ctx.job_day})", sql, explain(sql, rollback=True)))
    except Exception as exc:  # noqa: BLE001
        results.append(("deadline scan", "", f"not explained: {exc}"))
    return results
