"""The broker restarted (issue 4): events written while Redis is down wait in the database and go out after.

The test runs a Redis server of its own on a free port (the machine's Redis is shared and is never restarted):
a real worker uses it as its broker; the server is killed, events are written and pushes fail to queue, the server
comes back on the same port with nothing in it, and every event is delivered exactly once.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time

import pytest
import redis
from celery import Celery
from kombu.exceptions import OperationalError

from credit_portal.exchange.models import OutboxEvent

from .test_worker_delivery import all_delivered, assert_each_key_accepted_exactly_once, write_events

pytestmark = pytest.mark.integration


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """``redis-server`` on 127.0.0.1:<port>, keeping nothing on disk, that the test can stop and start again."""

    def __init__(self, directory):
        self.port = _free_port()
        self.directory = directory
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            cwd=self.directory,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                if client.ping():
                    return
            except redis.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()  # as a crash or a restart would: nothing is kept
            self.process.wait(timeout=10)


@pytest.fixture
def private_redis(tmp_path):
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is not installed: the broker-restart test needs its own Redis server")
    server = RedisServer(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_events_written_while_redis_is_down_wait_in_the_database_and_go_out_after(workers, upstream, private_redis):
    app = Celery("broker-restart-test", broker=private_redis.url, backend=private_redis.url, set_as_current=False)
    app.conf.broker_connection_retry_on_startup = True
    workers.app = app
    workers.start(concurrency=1, REDIS_URL=private_redis.url)
    before = write_events(30)
    assert workers.pump(all_delivered, timeout=30)

    private_redis.stop()
    with app.connection_for_write() as connection, pytest.raises(OperationalError):
        connection.ensure_connection(max_retries=1, timeout=1)  # the broker really is down
    during = write_events(40)  # published meanwhile: the rows are in the database, whatever the broker does
    for _ in range(3):
        with pytest.raises(OperationalError):
            workers.push()  # nothing can be queued now ...
    time.sleep(2)
    assert OutboxEvent.objects.filter(idempotency_key__in=during, status=OutboxEvent.Status.PENDING).count() == 40

    private_redis.start()  # ... the same port again, empty: every queued task is gone, the events are not
    assert workers.pump(all_delivered, timeout=60), workers.log_tail()
    assert_each_key_accepted_exactly_once(upstream, before | during)
