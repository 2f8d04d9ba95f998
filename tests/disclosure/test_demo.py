"""The demo generator: realistic records in every state, inserted set-based."""

from __future__ import annotations

import datetime
import io
import random

import pytest

from django.utils import timezone

from disclosure import demo
from disclosure.choices import RecordStatus, Timeliness
from disclosure.models import Licensing, Penalty
from registry import demo as registry_demo

pytestmark = pytest.mark.django_db


def test_demo_creates_records_in_every_state(django_assert_max_num_queries):
    rng = random.Random(7)
    registry_demo.generate(subjects=600, rng=rng, stdout=io.StringIO())
    out = io.StringIO()
    with django_assert_max_num_queries(80):
        demo.generate(rng=rng, today=timezone.localdate(), stdout=out, scale=600)
    assert Penalty.objects.count() > 60 and Licensing.objects.count() > 100
    timeliness = set(Penalty.objects.values_list("timeliness", flat=True)) | set(
        Licensing.objects.values_list("timeliness", flat=True)
    )
    assert {Timeliness.ON_TIME, Timeliness.LATE, Timeliness.OVERDUE} <= timeliness
    statuses = set(Penalty.objects.values_list("status", flat=True))
    assert {RecordStatus.PUBLISHED, RecordStatus.EXPIRED, RecordStatus.DRAFT} <= statuses
    assert Penalty.objects.public().exists()
    fined = Penalty.objects.exclude(fine_amount=None)
    assert fined.exists()
    assert "penalty records" in out.getvalue()


def test_demo_queues_only_the_recent_publications_for_the_upstream_push():
    from credit_portal.exchange.models import OutboxEvent

    rng = random.Random(11)
    registry_demo.generate(subjects=2000, rng=rng, stdout=io.StringIO())
    today = timezone.localdate()
    demo.generate(rng=rng, today=today, stdout=io.StringIO(), scale=2000)
    since = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=demo.RECENT_UNPUSHED_DAYS), datetime.time())
    )
    recent = {
        (model.upstream_kind, pk)
        for model in (Licensing, Penalty)
        for pk in model.objects.filter(status=RecordStatus.PUBLISHED, published_at__gte=since).values_list(
            "pk", flat=True
        )
    }
    queued = set(OutboxEvent.objects.values_list("kind", "object_id"))
    assert recent, "the demo publishes some records in the last days"
    assert queued == recent  # each recent publication once, older history never
    assert Penalty.objects.filter(status=RecordStatus.PUBLISHED).count() > len(recent)
