"""Pushing the outbox to the real fake upstream: delivery, duplicates and retries of every transient failure."""

from datetime import timedelta

import pytest

from django.core.management import call_command
from django.utils import timezone

from credit_portal.exchange import services, upstream
from credit_portal.exchange.models import OutboxEvent
from credit_portal.models import Notification

from .factories import OutboxEventFactory

pytestmark = pytest.mark.django_db

Status = OutboxEvent.Status


def push(batch_size=50):
    return services.push_due_events(batch_size=batch_size)


def let_time_pass():
    """Make every waiting event due now, as if its backoff had run out."""
    OutboxEvent.objects.filter(status=Status.PENDING).update(next_attempt_at=timezone.now())


def test_accepted_events_are_delivered_with_the_upstream_id(fake_upstream):
    events = OutboxEventFactory.create_batch(3)
    outcome = push()
    assert outcome == {"sent": 3, "accepted": 3}
    for event in events:
        event.refresh_from_db()
        assert event.status == Status.DELIVERED
        assert event.upstream_id.startswith("UP")
        assert event.delivered_at is not None
        assert event.attempts == 1
    assert {record["idempotency_key"] for record in fake_upstream.records()} == {e.idempotency_key for e in events}


def test_the_upstream_receives_the_protocol_shape(fake_upstream):
    event = OutboxEventFactory()
    push()
    (record,) = fake_upstream.records()
    assert record["kind"] == "penalty"
    assert record["action"] == "upsert"
    assert record["payload"] == event.payload


def test_duplicate_answer_counts_as_delivered(fake_upstream):
    event = OutboxEventFactory()
    upstream.post_records([event])  # an earlier attempt that arrived, whose answer was lost
    outcome = push()
    event.refresh_from_db()
    assert outcome == {"sent": 1, "duplicate": 1}
    assert event.status == Status.DELIVERED
    assert fake_upstream.stats()["accepted"] == 1


@pytest.mark.parametrize(
    ("switch", "error_fragment"),
    [
        ({"failure_rate": 1.0}, "500"),
        ({"status_429_rate": 1.0, "retry_after": 1}, "429"),
        ({"lost_answer_rate": 1.0}, "无法连接"),
        ({"latency": 1.5}, "超时"),
    ],
    ids=["http-500", "http-429", "dropped-connection", "time-out"],
)
def test_transient_failures_are_retried_later_and_never_dropped(fake_upstream, switch, error_fragment):
    fake_upstream.configure(**switch)
    event = OutboxEventFactory()
    before = timezone.now()
    outcome = push()
    event.refresh_from_db()
    assert outcome == {"sent": 1, "retried": 1}
    assert event.status == Status.PENDING
    assert event.attempts == 1
    assert event.next_attempt_at >= before + timedelta(seconds=15)  # first backoff: 15-30 s with base 30
    assert error_fragment in event.last_error
    assert push() == {}  # not due yet: nothing is sent again at once


def test_a_lost_answer_is_retried_with_the_same_key_and_stored_once(fake_upstream):
    fake_upstream.configure(lost_answer_rate=1.0)
    event = OutboxEventFactory()
    push()
    fake_upstream.configure(lost_answer_rate=0.0)
    let_time_pass()
    assert push() == {"sent": 1, "duplicate": 1}
    event.refresh_from_db()
    assert event.status == Status.DELIVERED
    assert event.attempts == 2
    assert fake_upstream.stats()["accepted"] == 1
    assert len(fake_upstream.records()) == 1


def test_retry_after_of_a_429_is_honoured_but_capped(fake_upstream, settings):
    settings.UPSTREAM_BACKOFF_BASE_SECONDS = 1
    settings.UPSTREAM_BACKOFF_MAX_SECONDS = 120
    fake_upstream.configure(status_429_rate=1.0, retry_after=100)
    event = OutboxEventFactory()
    before = timezone.now()
    push()
    event.refresh_from_db()
    assert before + timedelta(seconds=100) <= event.next_attempt_at <= timezone.now() + timedelta(seconds=101)
    fake_upstream.configure(retry_after=10_000)
    let_time_pass()
    push()
    event.refresh_from_db()
    assert event.next_attempt_at <= timezone.now() + timedelta(seconds=121)


def test_a_wrong_token_is_retried_not_delivered(fake_upstream, settings):
    settings.UPSTREAM_TOKEN = "wrong"
    event = OutboxEventFactory()
    push()
    event.refresh_from_db()
    assert event.status == Status.PENDING
    assert "401" in event.last_error
    assert fake_upstream.stats()["unauthorized"] == 1


def test_the_upstream_down_leaves_events_waiting_then_delivers_them(fake_upstream):
    fake_upstream.stop()
    events = OutboxEventFactory.create_batch(4)
    assert push() == {"sent": 4, "retried": 4}
    fake_upstream.start()  # same port again
    let_time_pass()
    assert push() == {"sent": 4, "accepted": 4}
    assert OutboxEvent.objects.filter(pk__in=[e.pk for e in events], status=Status.DELIVERED).count() == 4


def test_each_failure_adds_one_attempt_and_waits_twice_as_long(fake_upstream):
    fake_upstream.configure(failure_rate=1.0)
    event = OutboxEventFactory()
    for attempt in range(1, 5):
        let_time_pass()
        started = timezone.now()
        push()
        event.refresh_from_db()
        assert event.attempts == attempt
        ceiling = 30 * 2 ** (attempt - 1)  # base 30 s, doubled per failure; equal jitter keeps half of it
        wait = (event.next_attempt_at - started).total_seconds()
        assert ceiling / 2 - 1 <= wait <= ceiling + 1


def test_max_attempts_makes_an_event_dead_and_notifies_administrators(fake_upstream, settings, administrator, clerk):
    settings.UPSTREAM_MAX_ATTEMPTS = 3
    fake_upstream.configure(failure_rate=1.0)
    event = OutboxEventFactory()
    for _ in range(3):
        let_time_pass()
        push()
    event.refresh_from_db()
    assert event.status == Status.DEAD
    assert event.attempts == 3
    assert OutboxEvent.objects.filter(pk=event.pk).exists()  # kept for the ops page, never dropped
    note = Notification.objects.get(user=administrator, kind="upstream_dead")
    assert "500" in note.message
    assert note.link == "/staff/ops/"
    assert not Notification.objects.filter(user=clerk, kind="upstream_dead").exists()
    let_time_pass()
    assert push() == {}  # a dead event is not retried by itself


def test_drain_pushes_batch_after_batch_until_nothing_is_due(fake_upstream):
    OutboxEventFactory.create_batch(7)
    outcome = services.drain_outbox(batch_size=3, time_budget_seconds=30)
    assert outcome == {"sent": 7, "accepted": 7}
    assert fake_upstream.stats()["requests"] == 3


def test_drain_stops_at_the_first_failed_request(fake_upstream):
    fake_upstream.configure(failure_rate=1.0)
    OutboxEventFactory.create_batch(7)
    outcome = services.drain_outbox(batch_size=3, time_budget_seconds=30)
    assert outcome == {"sent": 3, "retried": 3}
    assert fake_upstream.stats()["requests"] == 1


def test_push_upstream_command_drains_once_and_prints_counts(fake_upstream, capsys):
    OutboxEventFactory.create_batch(2)
    call_command("push_upstream")
    assert "sent=2 accepted=2 duplicate=0 rejected=0 retried=0 dead=0" in capsys.readouterr().out


def test_push_task_runs_the_drain(fake_upstream):
    from credit_portal.exchange import tasks

    OutboxEventFactory.create_batch(2)
    assert tasks.push_outbox.apply().get() == {"sent": 2, "accepted": 2}
