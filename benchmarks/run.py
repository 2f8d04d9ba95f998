#!/usr/bin/env python3
"""Issue 10 benchmarks, one command: fresh PostgreSQL database, demo data, every figure beside raw SQL.

    python3 benchmarks/run.py [--subjects N] [--records-per-subject K] [--database-url URL] [--skip-generate]
                              [--output benchmarks/RESULTS.md]

Re-executes itself with the project's .venv (created by dev.py when missing). See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/credit_portal_bench"
EXPLAIN_START = "<!-- explain:start -->"
EXPLAIN_END = "<!-- explain:end -->"


def ensure_project_python() -> None:
    """Run under /work/main/.venv/bin/python (dev.py creates and updates it), re-executing when needed."""
    sys.path.insert(0, str(ROOT))
    import dev

    if Path(sys.prefix).resolve() != dev.VENV.resolve():
        dev.ensure_venv()
        os.execv(str(dev.PYTHON), [str(dev.PYTHON), str(Path(__file__).resolve()), *sys.argv[1:]])


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Issue 10 benchmarks: portal figures as ratios to raw SQL.")
    parser.add_argument("--subjects", type=int, default=20_000, help="subjects to generate (default 20,000)")
    parser.add_argument(
        "--records-per-subject",
        type=float,
        default=3.0,
        help="licensing + penalty records per subject, made by generate_demo (default 3)",
    )
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL, help=f"default {DEFAULT_DATABASE_URL}")
    parser.add_argument("--skip-generate", action="store_true", help="keep the database and its data as they are")
    parser.add_argument("--output", default=str(HERE / "RESULTS.md"), help="markdown results (default RESULTS.md)")
    parser.add_argument("--readme", default=str(HERE / "README.md"), help="README whose EXPLAIN section is rewritten")
    parser.add_argument("--no-explain", action="store_true", help="do not rewrite the README's EXPLAIN section")
    parser.add_argument("--clients", type=int, default=20, help="concurrent HTTP clients and raw threads (20)")
    parser.add_argument("--requests", type=int, default=400, help="search requests per search benchmark (400)")
    parser.add_argument("--workers", type=int, default=2, help="server processes (default 2 = cores here)")
    parser.add_argument("--threads", type=int, default=10, help="threads per server process (default 10)")
    parser.add_argument(
        "--import-rows", type=int, default=100_000, help="rows per import file (default 100,000; also a fifth of it)"
    )
    parser.add_argument("--check-codes", type=int, default=10_000, help="codes in the batch check (10,000)")
    parser.add_argument("--outbox-events", type=int, default=5000, help="events to push (default 5000)")
    parser.add_argument("--watch-changes", type=int, default=50_000, help="changes to match (default 50,000)")
    parser.add_argument("--watch-lists", type=int, default=1000, help="watchlists (default 1,000)")
    parser.add_argument("--watch-codes", type=int, default=1000, help="codes per watchlist (default 1,000)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per timed job; the median is shown (3)")
    parser.add_argument(
        "--job-day-offset",
        type=int,
        default=30,
        help="the deadline scan and the expiry job run for today + this many days, so that they find work (30)",
    )
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated benchmark names (search,import,credit_check,…; explain: the README's EXPLAIN section)",
    )
    parser.add_argument("--seed", type=int, default=2026)
    return parser.parse_args(argv)


def say(message: str) -> None:
    print(f"==> {message}", flush=True)


# --- database ----------------------------------------------------------------------------------------------------


def recreate_database(url: str) -> None:
    """DROP and CREATE the benchmark database, UTF-8 with C.UTF-8 collation and ctype (DOMAIN §13: pg_trgm and CJK)."""
    import psycopg2
    from psycopg2 import sql

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    maintenance = urlunparse(parsed._replace(path="/postgres"))
    conn = psycopg2.connect(maintenance)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            cursor.execute(
                sql.SQL(
                    "CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
                ).format(sql.Identifier(name))
            )
    finally:
        conn.close()


def database_ctype() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT datctype FROM pg_database WHERE datname = current_database()")
        return cursor.fetchone()[0]


def top_up_records(*, subjects: int, per_subject: float) -> dict[str, int]:
    """Copy the demo's records in SQL (new document numbers) until there are ``per_subject`` records a subject.

    ``generate_demo --records-per-subject`` makes them itself now; this only fills a shortfall (a subject's
    share is drawn at random, so the total can fall a little short; nothing is copied then unless more than 1%
    is missing). Copies keep each record's subject, department, dates and status.
    """
    from django.db import connection, transaction

    from disclosure.models import Licensing, Penalty

    counts = {model._meta.db_table: model.objects.count() for model in (Licensing, Penalty)}
    existing = sum(counts.values())
    wanted = int(subjects * per_subject)
    if existing == 0 or wanted <= existing * 1.01:
        return counts
    for model in (Licensing, Penalty):
        table = model._meta.db_table
        have = counts[table]
        if not have:
            continue
        target = round(wanted * have / existing)
        missing = target - have
        if missing <= 0:
            continue
        copies = -(-missing // have)
        columns = [f.column for f in model._meta.concrete_fields if not f.primary_key]
        select = ["document_number || '-c' || g" if column == "document_number" else column for column in columns]
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(select)} FROM {table} "
                f"CROSS JOIN generate_series(1, %s) AS g ORDER BY g, id LIMIT %s",
                [copies, missing],
            )
        counts[table] = target
    return counts


def prepare_database(args: argparse.Namespace) -> dict:
    from django.core.management import call_command
    from django.db import connection

    info: dict = {}
    if not args.skip_generate:
        say(f"creating the database {urlparse(args.database_url).path.lstrip('/')} (UTF-8, C.UTF-8)")
        recreate_database(args.database_url)
    say("migrating")
    call_command("migrate", verbosity=0, interactive=False)
    info["ctype"] = database_ctype()
    if info["ctype"] in ("C", "POSIX"):
        say(f"warning: LC_CTYPE is {info['ctype']}: pg_trgm ignores Chinese characters there (DOMAIN §13)")
    if not args.skip_generate:
        say(f"generate_demo --subjects {args.subjects}")
        started = time.monotonic()
        call_command("generate_demo", subjects=args.subjects, records_per_subject=args.records_per_subject)
        info["generate_seconds"] = time.monotonic() - started
        started = time.monotonic()
        top_up_records(subjects=args.subjects, per_subject=args.records_per_subject)
        info["top_up_seconds"] = time.monotonic() - started
    with connection.cursor() as cursor:
        # The state autovacuum keeps a live database in: statistics, and the visibility map that index-only scans need.
        cursor.execute("VACUUM ANALYZE")
        info["counts"] = {}
        for table in ("registry_subject", "disclosure_licensing", "disclosure_penalty", "sanctions_listentry"):
            cursor.execute(f"SELECT count(*) FROM {table}")
            info["counts"][table] = cursor.fetchone()[0]
        cursor.execute("SHOW server_version")
        info["postgres"] = cursor.fetchone()[0]
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        info["size"] = cursor.fetchone()[0]
    return info


# --- server ------------------------------------------------------------------------------------------------------


def start_server(args: argparse.Namespace, env: dict) -> tuple[subprocess.Popen, str]:
    """benchmarks/serve.py (gunicorn) in its own process group (its workers go with it); returns (process, url)."""
    process = subprocess.Popen(
        [sys.executable, str(HERE / "serve.py"), "--workers", str(args.workers), "--threads", str(args.threads)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=None,
        text=True,
        start_new_session=True,
    )
    line = process.stdout.readline()
    match = re.match(r"ready (\d+)", line or "")
    if not match:
        stop_server(process)
        raise RuntimeError(f"benchmark server did not start: {line!r}")
    return process, f"http://127.0.0.1:{match.group(1)}"


def stop_server(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


# --- machine and output ------------------------------------------------------------------------------------------


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        total_kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {total_kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} cores ({cpu or platform.processor()}){memory}, {platform.platform()}"


def write_results(path: Path, *, args, info: dict, rows, started_at, load_before, load_after, total_seconds) -> None:
    from benchmarks.bench import table

    counts = info.get("counts", {})
    lines = [
        "# Benchmark results (issue 10)",
        "",
        f"Run {started_at:%Y-%m-%d %H:%M} UTC with `python3 benchmarks/run.py "
        + (
            "--skip-generate"  # the database as it was: its scale is the line below
            if args.skip_generate
            else f"--subjects {args.subjects} --records-per-subject {args.records_per_subject:g}"
        )
        + (f" --only {args.only}" if args.only else "")
        + f"`; {total_seconds:.0f} s in all.",
        "",
        f"- **Scale**: {counts.get('registry_subject', 0):,} subjects, {counts.get('disclosure_licensing', 0):,} "
        f"licensing and {counts.get('disclosure_penalty', 0):,} penalty records, "
        f"{counts.get('sanctions_listentry', 0):,} list entries; database {info.get('size', '?')}, "
        f"LC_CTYPE {info.get('ctype', '?')}, PostgreSQL {info.get('postgres', '?')}.",
        f"- **Machine**: {machine()}. Load average {load_before[0]:.1f} before, {load_after[0]:.1f} after "
        "(other sessions were running tests: absolute times are noisy, the ratios less so).",
        f"- **Server**: gunicorn with docs/deploy/gunicorn.conf.py (benchmarks/serve.py), {args.workers} gthread "
        f"workers × {args.threads} threads, "
        f"{args.clients} concurrent clients; raw baseline: {args.clients} threads with their own connections.",
    ]
    if "generate_seconds" in info:
        lines.append(
            f"- **Data**: generate_demo --records-per-subject {args.records_per_subject:g} took "
            f"{info['generate_seconds']:.1f} s; topping the records up to {args.records_per_subject:g} per subject "
            f"took {info['top_up_seconds']:.1f} s."
        )
    lines += ["", table(rows), "", "How to read the table and the aims: benchmarks/README.md.", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def write_explain(readme: Path, plans, *, info: dict, day) -> None:
    from benchmarks.bench import shorten

    counts = info.get("counts", {})
    parts = [
        EXPLAIN_START,
        "",
        f"_Generated by `benchmarks/run.py` on {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC at "
        f"{counts.get('registry_subject', 0):,} subjects, {counts.get('disclosure_licensing', 0):,} licensing and "
        f"{counts.get('disclosure_penalty', 0):,} penalty records; the SQL is what the ORM sends._",
        "",
    ]
    for title, sql, plan in plans:
        parts += [f"#### {title}", "", "```sql", shorten(sql), "```", "", "```", plan, "```", ""]
    parts.append(EXPLAIN_END)
    section = "\n".join(parts)
    text = readme.read_text(encoding="utf-8") if readme.exists() else ""
    if EXPLAIN_START in text and EXPLAIN_END in text:
        before, rest = text.split(EXPLAIN_START, 1)
        after = rest.split(EXPLAIN_END, 1)[1]
        text = before + section + after
    else:
        text = text + "\n\n## EXPLAIN plans of the hot queries\n\n" + section + "\n"
    readme.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ensure_project_python()
    args = parse_args(argv)
    started_at = datetime.datetime.now(datetime.UTC)
    load_before = os.getloadavg()
    wall = time.monotonic()

    os.environ["DJANGO_SETTINGS_MODULE"] = "credit_portal.settings"
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.pop("REDIS_URL", None)  # eager Celery: the import task runs in this process, as a worker would
    os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="bench-media-"))
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.utils import timezone

    from benchmarks import bench

    info = prepare_database(args)
    today = timezone.localdate()
    ctx = bench.Context(
        today=today,
        job_day=today + datetime.timedelta(days=args.job_day_offset),
        rng=random.Random(args.seed),
        clients=args.clients,
        requests=args.requests,
        import_rows=args.import_rows,
        check_codes=args.check_codes,
        outbox_events=args.outbox_events,
        watch_changes=args.watch_changes,
        watch_lists=args.watch_lists,
        watch_codes=args.watch_codes,
        repeats=args.repeats,
        log=lambda text: print(text, file=sys.stderr, flush=True),
    )
    wanted = {name.strip() for name in args.only.split(",") if name.strip()}
    selected = [b for b in bench.BENCHMARKS if not wanted or b.__name__.removeprefix("bench_") in wanted]

    server = None
    if any(b is bench.bench_search for b in selected):
        say(f"starting the benchmark server ({args.workers} processes × {args.threads} threads)")
        env = {**os.environ, "DB_CONN_MAX_AGE": "600", "DEBUG": "0"}
        try:
            server, ctx.server_url = start_server(args, env)
        except RuntimeError as exc:
            say(str(exc))
    rows = []
    try:
        for benchmark in selected:
            say(f"running {benchmark.bench_name}")
            rows.extend(benchmark(ctx))
            print(bench.table(rows[-1:]).splitlines()[-1], flush=True)
    finally:
        if server is not None:
            stop_server(server)
    plans = []
    if not args.no_explain and (not wanted or "explain" in wanted):
        say("EXPLAIN (ANALYZE, BUFFERS) of the hot queries")
        plans = bench.explain_hot_queries(ctx)
        write_explain(Path(args.readme), plans, info=info, day=ctx.job_day)
    output = Path(args.output)
    write_results(
        output,
        args=args,
        info=info,
        rows=rows,
        started_at=started_at,
        load_before=load_before,
        load_after=os.getloadavg(),
        total_seconds=time.monotonic() - wall,
    )
    print()
    print(bench.table(rows))
    say(f"results written to {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
