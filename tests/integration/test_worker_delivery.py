"""Delivery with real Celery workers, Redis, PostgreSQL and the shipped fake upstream (DOMAIN §12, issue 4)."""

from __future__ import annotations

import time

import pytest

from django.utils import timezone

from credit_portal.exchange import selectors
from credit_portal.exchange.models import OutboxEvent
from tests.exchange.factories import OutboxEventFactory
from tests.registry.factories import DepartmentFactory

pytestmark = pytest.mark.integration

Status = OutboxEvent.Status


def write_events(count: int) -> set[str]:
    """Committed pending events (one object each), written in one INSERT as a batch job writes them."""
    department = DepartmentFactory()
    events = OutboxEvent.objects.bulk_create(OutboxEventFactory.build_batch(count, department=department))
    return {event.idempotency_key for event in events}


def all_delivered() -> bool:
    return not OutboxEvent.objects.exclude(status=Status.DELIVERED).exists()


def assert_each_key_accepted_exactly_once(upstream, keys: set[str]) -> None:
    records = upstream.records()
    stats = upstream.stats()
    assert {record["idempotency_key"] for record in records} == keys
    assert len(records) == len(keys)  # stored once per key
    assert stats["accepted"] == len(keys)  # never accepted twice: a resent key is answered "duplicate"
    assert OutboxEvent.objects.filter(status=Status.DELIVERED).count() == len(keys)


def test_a_thousand_events_reach_the_upstream_exactly_once_despite_injected_failures(workers, upstream):
    workers.start()
    # About 30% of requests fail: 500s, 429s and lost answers (processed upstream, answer dropped).
    upstream.configure(failure_rate=0.15, status_429_rate=0.05, lost_answer_rate=0.12, retry_after=0.3)
    keys = write_events(1000)
    assert workers.pump(all_delivered, timeout=60), OutboxEvent.objects.values("status").distinct()
    assert_each_key_accepted_exactly_once(upstream, keys)
    stats = upstream.stats()
    assert stats["failed_500"] > 0 and stats["lost_answers"] > 0
    assert stats["duplicate"] > 0  # the lost answers' records came again and were recognised
    assert OutboxEvent.objects.filter(attempts__gt=1).exists()  # retried after failures


def test_two_workers_never_send_the_same_event_at_the_same_time(workers, upstream):
    workers.start(concurrency=2)
    workers.start(concurrency=2)
    upstream.configure(latency=0.2)  # requests overlap: four pushes at once would collide without the row locks
    keys = write_events(400)
    for _ in range(8):
        workers.push()
    assert workers.pump(all_delivered, timeout=60)
    stats = upstream.stats()
    assert stats["concurrent_sends"] == 0
    assert stats["duplicate"] == 0  # no faults injected, so any duplicate would be a double send
    assert stats["records_received"] == len(keys)
    assert_each_key_accepted_exactly_once(upstream, keys)


def test_events_written_while_the_upstream_is_down_are_delivered_when_it_is_back(workers, upstream, settings):
    settings.UPSTREAM_URL = upstream.url  # for this process's health check; the workers get it by environment
    workers.start()
    upstream.stop()
    keys = write_events(120)
    assert workers.pump(lambda: not OutboxEvent.objects.filter(attempts=0).exists(), timeout=30)
    assert OutboxEvent.objects.filter(status=Status.PENDING).count() == 120  # waiting, none lost or given up
    assert "无法连接" in OutboxEvent.objects.first().last_error
    assert selectors.health(now=timezone.now())["checks"] == {
        "database": True,
        "broker": True,
        "worker": True,
        "upstream": False,
    }
    upstream.start()  # the same port again
    assert workers.pump(all_delivered, timeout=30)
    assert_each_key_accepted_exactly_once(upstream, keys)
    assert selectors.health(now=timezone.now())["healthy"]


def test_a_worker_killed_in_the_middle_of_a_batch_loses_nothing(workers, upstream):
    first = workers.start(concurrency=1)
    upstream.configure(latency=3)  # the batch is in flight (rows locked) when the worker dies
    keys = write_events(60)
    workers.push()
    deadline = time.monotonic() + 20
    while upstream.stats().get("requests", 0) == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert upstream.stats().get("requests", 0) >= 1
    workers.kill_hard(first)
    assert OutboxEvent.objects.filter(status=Status.DELIVERED).count() == 0  # its transaction never committed
    upstream.configure(latency=0)
    workers.start(concurrency=1)
    assert workers.pump(all_delivered, timeout=30)
    assert_each_key_accepted_exactly_once(upstream, keys)  # the killed batch came again as "duplicate" or new
