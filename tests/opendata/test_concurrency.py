"""Concurrency on PostgreSQL: one sync writes at a time, so no event twice; no source row is skipped."""

from __future__ import annotations

import datetime
import threading

import pytest

from django.db import connection, connections, transaction
from django.utils import timezone

from credit_portal.opendata import services
from credit_portal.opendata.models import ChangeEvent, FeedSyncState
from disclosure.choices import Severity
from sanctions.evaluation import services as evaluation_services
from tests.disclosure.factories import PenaltyFactory
from tests.registry.factories import SubjectFactory

from .factories import published_penalty

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_concurrent_syncs_write_each_change_once_in_outbox_order():
    for _ in range(30):
        published_penalty()
    results, barrier = [], threading.Barrier(4)

    def run():
        try:
            barrier.wait()
            results.append(services.sync_changes())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(results) == 30
    rows = list(ChangeEvent.objects.order_by("pk").values_list("source_event_id", flat=True))
    assert rows == sorted(rows) and len(set(rows)) == 30


def test_a_grade_row_of_an_open_transaction_is_never_skipped_by_a_later_committed_one():
    """A nightly batch inserting grade history for longer than the commit lag keeps the sync behind its rows."""
    today = timezone.localdate()
    first, second = SubjectFactory.create_batch(2)
    evaluation_services.recompute_grades(today=today)
    for subject in (first, second):
        PenaltyFactory(
            subject=subject,
            published=True,
            severity=Severity.SERIOUS,
            publication_end_date=today + datetime.timedelta(days=365),
        )
    inserted, release = threading.Event(), threading.Event()

    def slow_batch():
        try:
            with transaction.atomic():
                evaluation_services.recompute_subject_grade(subject=first, today=today)  # the lower id
                inserted.set()
                release.wait(30)
        finally:
            connections.close_all()

    thread = threading.Thread(target=slow_batch)
    thread.start()
    try:
        assert inserted.wait(30)
        evaluation_services.recompute_subject_grade(subject=second, today=today)  # higher id, committed
        assert services.sync_changes() == 0  # the grades wait: a lower id is still being written
        assert FeedSyncState.objects.get().last_grade_history_id == 0
    finally:
        release.set()
        thread.join()
    assert services.sync_changes() == 2
    rows = list(ChangeEvent.objects.order_by("pk").values_list("object_id", flat=True))
    assert rows == [first.pk, second.pk]
