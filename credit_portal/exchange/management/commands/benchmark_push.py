"""Push throughput against the shipped fake upstream, beside the fake's own raw acceptance rate (issue 4).

The events it writes are deleted afterwards; it talks only to a fake upstream it starts itself on 127.0.0.1.
"""

import time
import uuid

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.test import override_settings

from credit_portal.exchange import services, upstream
from credit_portal.exchange.fake_upstream import FakeUpstream
from credit_portal.exchange.models import OutboxEvent
from registry.models import Department

TOKEN = "benchmark-token"


def _events(count: int, content_type: ContentType) -> list[OutboxEvent]:
    return [
        OutboxEvent(
            kind=OutboxEvent.Kind.PENALTY,
            action=OutboxEvent.Action.UPSERT,
            content_type=content_type,
            object_id=-(n + 1),  # no real object has a negative id
            payload={
                "subject_name": f"基准测试有限公司{n}",
                "subject_category": "legal_entity",
                "uscc": "91350100M000100Y43",
                "document_number": f"基准罚〔2026〕{n}号",
                "decision_date": "2026-11-02",
                "content": "罚款人民币贰万元整。",
            },
            idempotency_key=uuid.uuid4().hex,
        )
        for n in range(count)
    ]


class Command(BaseCommand):
    help = "Measure outbox push throughput (events/s) against the fake upstream, and the fake's raw rate."

    def add_arguments(self, parser):
        parser.add_argument("--events", type=int, default=2000)
        parser.add_argument("--batch-size", type=int, default=200)

    def handle(self, *args, events: int, batch_size: int, **options):
        content_type = ContentType.objects.get_for_model(Department)
        with (
            FakeUpstream(port=0, token=TOKEN) as fake,
            override_settings(UPSTREAM_URL=fake.url, UPSTREAM_TOKEN=TOKEN, UPSTREAM_TIMEOUT_SECONDS=30),
        ):
            # Raw: the same batches posted straight from memory, no database.
            raw_events = _events(events, content_type)
            started = time.perf_counter()
            for start in range(0, events, batch_size):
                upstream.post_records(raw_events[start : start + batch_size])
            raw_seconds = time.perf_counter() - started
            fake.reset()

            created = OutboxEvent.objects.bulk_create(_events(events, content_type), batch_size=2000)
            ids = [event.pk for event in created]
            try:
                started = time.perf_counter()
                outcome = services.drain_outbox(batch_size=batch_size, time_budget_seconds=3600)
                push_seconds = time.perf_counter() - started
                delivered = OutboxEvent.objects.filter(pk__in=ids, status=OutboxEvent.Status.DELIVERED).count()
            finally:
                OutboxEvent.objects.filter(pk__in=ids).delete()
        raw_rate = events / raw_seconds
        push_rate = delivered / push_seconds
        self.stdout.write(f"events: {events}, batch size: {batch_size}, delivered: {delivered} {outcome}")
        self.stdout.write(f"fake upstream raw acceptance: {raw_rate:,.0f} events/s")
        self.stdout.write(
            f"outbox push (database + HTTP): {push_rate:,.0f} events/s ({push_rate / raw_rate:.0%} of raw)"
        )
