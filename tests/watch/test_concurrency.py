"""Concurrent runs on PostgreSQL: row locks keep two matchers and two senders from doing the same work twice."""

from __future__ import annotations

import threading
from collections import Counter

import pytest

from django.db import connection, connections

from credit_portal.watch import services, webhooks
from credit_portal.watch.models import WatchMatch, WebhookDelivery
from tests.registry.factories import UserFactory

from .factories import change, code

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def _in_threads(function, count: int = 4) -> list:
    results, barrier = [], threading.Barrier(count)

    def run():
        try:
            barrier.wait()
            results.append(function())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_concurrent_matchers_and_senders_do_each_piece_of_work_once(receiver):
    owner = UserFactory(username="watch_concurrency")
    watchlist = services.create_watchlist(owner=owner, name="并发")
    for n in range(10):
        services.add_code(watchlist=watchlist, by=owner, code=code(n))
    _endpoint, receiver.secret = webhooks.create_endpoint(owner=owner, url=receiver.url)
    for n in range(40):
        change(code(n % 10))
    matched = _in_threads(services.match_changes)
    assert sum(result["matches"] for result in matched) == 40
    assert WatchMatch.objects.count() == 40
    for _round in range(10):  # each round: four workers at once; 10 subjects, 4 changes each, in order
        _in_threads(webhooks.send_due_deliveries)
    ids = Counter(item.headers[webhooks.HEADER_ID] for item in receiver.received)
    assert len(ids) == 40 and set(ids.values()) == {1}  # every delivery sent, none twice
    assert not WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING).exists()
    per_subject: dict[str, list[int]] = {}
    for item in receiver.received:
        per_subject.setdefault(item.json["change"]["uscc"], []).append(item.json["change"]["id"])
    assert all(order == sorted(order) for order in per_subject.values())
