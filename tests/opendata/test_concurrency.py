"""Concurrent syncs on PostgreSQL: the lock on the sync state lets one writer in at a time, so no event twice."""

from __future__ import annotations

import threading

import pytest

from django.db import connection, connections

from credit_portal.opendata import services
from credit_portal.opendata.models import ChangeEvent

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
