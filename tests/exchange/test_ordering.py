"""Per-object order: an object's events reach the upstream in the order they were written (DOMAIN §12)."""

import pytest

from django.utils import timezone

from credit_portal.exchange import services
from credit_portal.exchange.models import OutboxEvent

from .factories import OutboxEventFactory

pytestmark = pytest.mark.django_db

Status = OutboxEvent.Status


def test_a_withdrawal_waits_for_the_older_upsert_of_its_object(fake_upstream, department_a):
    fake_upstream.configure(failure_rate=1.0)
    upsert = OutboxEventFactory(department=department_a, object_id=1)
    services.push_due_events(batch_size=10)  # the upsert fails and waits for its backoff
    withdraw = OutboxEventFactory(department=department_a, object_id=1, action=OutboxEvent.Action.WITHDRAW)
    other = OutboxEventFactory(department=department_a, object_id=2)
    fake_upstream.configure(failure_rate=0.0)

    assert services.push_due_events(batch_size=10) == {"sent": 1, "accepted": 1}  # only the other object's event
    withdraw.refresh_from_db()
    other.refresh_from_db()
    assert withdraw.status == Status.PENDING and withdraw.attempts == 0
    assert other.status == Status.DELIVERED

    OutboxEvent.objects.filter(pk=upsert.pk).update(next_attempt_at=timezone.now())
    assert services.push_due_events(batch_size=10) == {"sent": 1, "accepted": 1}  # the upsert, not yet the withdraw
    assert services.push_due_events(batch_size=10) == {"sent": 1, "accepted": 1}  # now the withdraw
    actions = [
        (r["idempotency_key"], r["action"])
        for r in fake_upstream.records()
        if r["idempotency_key"] != other.idempotency_key
    ]
    assert actions == [(upsert.idempotency_key, "upsert"), (withdraw.idempotency_key, "withdraw")]


def test_three_corrections_go_in_the_order_written(fake_upstream, department_a):
    events = [OutboxEventFactory(department=department_a, object_id=7) for _ in range(3)]
    services.drain_outbox(batch_size=10, time_budget_seconds=30)
    keys = [record["idempotency_key"] for record in fake_upstream.records()]
    assert keys == [event.idempotency_key for event in events]
    assert fake_upstream.stats()["requests"] == 3  # one per batch: never two events of one object in a batch


def test_a_dead_older_event_does_not_block_the_object_forever(fake_upstream, department_a):
    dead = OutboxEventFactory(department=department_a, object_id=3, status=Status.DEAD, attempts=5)
    newer = OutboxEventFactory(department=department_a, object_id=3)
    services.push_due_events(batch_size=10)
    newer.refresh_from_db()
    dead.refresh_from_db()
    assert newer.status == Status.DELIVERED
    assert dead.status == Status.DEAD
