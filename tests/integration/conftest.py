"""Integration fixtures: a real Celery worker subprocess on the test database, and the shipped fake upstream.

Skipped unless REDIS_URL and a PostgreSQL DATABASE_URL are set (CI's second run sets both, and sets
REQUIRE_INTEGRATION=1 so that a missing service fails the run instead of skipping the tests silently).
"""

from __future__ import annotations

import atexit
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest

from credit_portal.exchange.fake_upstream import FakeUpstream

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "integration-upstream-token"


def _missing_services() -> str:
    if not os.environ.get("REDIS_URL"):
        return "REDIS_URL is not set"
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return "DATABASE_URL is not a PostgreSQL URL"
    return ""


def pytest_collection_modifyitems(config, items):
    reason = _missing_services()
    for item in items:
        if "tests/integration/" not in str(item.fspath):
            continue
        item.add_marker(pytest.mark.integration)
        if reason and not os.environ.get("REQUIRE_INTEGRATION"):
            item.add_marker(pytest.mark.skip(reason=f"integration: {reason}"))


@pytest.fixture
def redis_client():
    """The broker's Redis; a test that needs it fails (not skips) when it does not answer."""
    import redis

    reason = _missing_services()
    if reason:
        pytest.fail(f"REQUIRE_INTEGRATION is set but {reason}")
    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    client.ping()
    return client


@pytest.fixture
def upstream():
    with FakeUpstream(port=0, token=TOKEN, seed=11) as fake:
        yield fake


def _test_database_url() -> str:
    """The URL of pytest-django's test database (test_<name>), for the worker to use."""
    from django.db import connection

    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = db["HOST"] or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}@{host}{port}/{db['NAME']}"


class Workers:
    """Celery worker subprocesses consuming one queue of their own; every one is stopped at teardown."""

    def __init__(self, *, upstream: FakeUpstream, log_dir: Path, redis_client):
        self.queue = f"it-{uuid.uuid4().hex[:10]}"
        self.upstream = upstream
        self.log_dir = log_dir
        self.redis = redis_client
        self.processes: list[subprocess.Popen] = []
        self.logs: list[Path] = []
        self.app = None  # the test process's own Celery app unless a test points the workers at another broker

    def env(self, **overrides: str) -> dict[str, str]:
        env = {
            **os.environ,
            "DATABASE_URL": _test_database_url(),
            "DB_CONN_MAX_AGE": "0",  # no connection outlives a task: the test database can be dropped at the end
            "UPSTREAM_URL": self.upstream.url,
            "UPSTREAM_TOKEN": TOKEN,
            "UPSTREAM_TIMEOUT_SECONDS": "1",
            "UPSTREAM_BATCH_SIZE": "100",
            "UPSTREAM_BACKOFF_BASE_SECONDS": "0.2",
            "UPSTREAM_BACKOFF_MAX_SECONDS": "1",
            "UPSTREAM_MAX_ATTEMPTS": "1000",
            "UPSTREAM_DRAIN_SECONDS": "5",
            "LOG_LEVEL": "WARNING",
        }
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        env.update(overrides)
        return env

    def start(self, *, concurrency: int = 2, **env: str) -> subprocess.Popen:
        """Start one worker and wait until it has run a push on the test database."""
        name = f"{self.queue}-{len(self.processes)}"
        log = self.log_dir / f"{name}.log"
        command = [
            sys.executable, "-m", "celery", "-A", "credit_portal", "worker", "-l", "warning",
            "-c", str(concurrency), "-Q", self.queue, "-n", f"{name}@%h",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ]  # fmt: skip
        with log.open("wb") as handle:
            process = subprocess.Popen(
                command, cwd=ROOT, env=self.env(**env), stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.processes.append(process)
        self.logs.append(log)
        atexit.register(self._kill, process)  # even if the session is interrupted
        self.push(wait=True).get(timeout=60)  # the worker is up and reaches the database
        return process

    def push(self, *, wait: bool = False):
        """Send one push task to this test's workers; its result is kept only when the caller waits for it.

        With ``self.app`` (a Celery app on another broker, see test_redis_restart) the task goes through that one.
        """
        from credit_portal.exchange.tasks import push_outbox

        if self.app is not None:
            return self.app.send_task(push_outbox.name, queue=self.queue, ignore_result=not wait)
        return push_outbox.apply_async(queue=self.queue, ignore_result=not wait)

    def pump(self, until, *, timeout: float = 60, every: float = 0.25) -> bool:
        """Send push tasks as beat would (faster), until ``until()`` holds or the time is up."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if until():
                return True
            self.push()
            time.sleep(every)
        return until()

    @staticmethod
    def _kill(process: subprocess.Popen, *, grace: float = 3) -> None:
        if process.poll() is not None:
            return
        try:
            # Cold shutdown: the test is over, an unfinished push is rolled back and its tasks are deleted below.
            os.killpg(process.pid, signal.SIGQUIT)
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        except ProcessLookupError:
            pass

    def kill_hard(self, process: subprocess.Popen) -> None:
        """SIGKILL a worker and its children at once, as a crash would."""
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.processes:
            self._kill(process)
        self.redis.delete(self.queue, f"_kombu.binding.{self.queue}")  # this test's tasks only

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(
            f"--- {log.name}\n" + "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) for log in self.logs
        )


@pytest.fixture(scope="session")
def integration_database(django_db_setup, django_db_blocker):
    """The test database, also when only integration tests run.

    pytest-django creates it only for sessions with a test that asks for ``db`` or ``transactional_db``; these
    tests ask for neither (see ``committed_db``).
    """
    import dj_database_url

    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    created = None
    with django_db_blocker.unblock():
        if connection.settings_dict["NAME"] == dj_database_url.parse(os.environ["DATABASE_URL"])["NAME"]:
            created = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    yield
    if created is not None:
        with django_db_blocker.unblock():
            teardown_databases(created, verbosity=0)


@pytest.fixture
def committed_db(integration_database, django_db_blocker):
    """Database access without a wrapping transaction, so the workers see every row at once.

    The test's rows are deleted afterwards. ``transactional_db`` would flush every table instead: slow, and it
    would wipe the reference data seeded by migrations (calendar, policies, catalogues) for the tests that follow.
    """
    from credit_portal.exchange.models import OutboxEvent, ReconciliationReport
    from registry.models import Department

    with django_db_blocker.unblock():
        existing = set(Department.objects.values_list("pk", flat=True))
        try:
            yield
        finally:
            OutboxEvent.objects.all().delete()
            ReconciliationReport.objects.all().delete()
            Department.objects.exclude(pk__in=existing).delete()


@pytest.fixture
def workers(committed_db, upstream, redis_client, tmp_path, request):
    """Start workers with ``workers.start()``; the rows a test writes are committed, so the workers see them."""
    pool = Workers(upstream=upstream, log_dir=tmp_path, redis_client=redis_client)
    try:
        yield pool
    finally:
        pool.stop_all()
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            print(pool.log_tail())


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
