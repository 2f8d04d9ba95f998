"""Nightly reconciliation: what went upstream against what should have, and the gaps (DOMAIN §12)."""

from datetime import timedelta

import pytest

from django.utils import timezone

from credit_portal.exchange import services, tasks
from credit_portal.exchange.models import OutboxEvent, ReconciliationReport

from .factories import OutboxEventFactory

pytestmark = pytest.mark.django_db

Status = OutboxEvent.Status


def department_entry(report):
    (entry,) = [kind for kind in report.report["kinds"] if kind["model"] == "registry.Department"]
    return entry


def test_a_fully_delivered_outbox_reconciles_clean(fake_upstream):
    OutboxEventFactory.create_batch(3)
    services.drain_outbox(batch_size=10, time_budget_seconds=30)
    report = services.reconcile_upstream(now=timezone.now())
    entry = department_entry(report)
    assert report.is_clean
    assert entry["written"] == 3
    assert entry["events"]["delivered"] == 3
    assert entry["gaps"] == 0


def test_dead_stale_and_uncorrected_rejected_events_are_gaps(department_a):
    now = timezone.now()
    OutboxEventFactory(status=Status.DELIVERED)
    OutboxEventFactory(status=Status.DEAD)
    OutboxEventFactory(status=Status.REJECTED, object_id=1)
    stale = OutboxEventFactory()
    OutboxEvent.objects.filter(pk=stale.pk).update(created_at=now - timedelta(days=2))
    OutboxEventFactory()  # pending, but fresh: not a gap yet
    report = services.reconcile_upstream(now=now)
    entry = department_entry(report)
    assert not report.is_clean
    assert entry["events"] == {"pending": 2, "delivered": 1, "rejected": 1, "dead": 1}
    assert (entry["stale_pending"], entry["open_rejected"], entry["gaps"]) == (1, 1, 3)


def test_a_rejection_corrected_by_a_later_delivery_is_not_a_gap():
    OutboxEventFactory(status=Status.REJECTED, object_id=9)
    OutboxEventFactory(status=Status.DELIVERED, object_id=9)
    report = services.reconcile_upstream(now=timezone.now())
    assert department_entry(report)["open_rejected"] == 0
    assert report.is_clean


def test_the_nightly_task_stores_a_report():
    OutboxEventFactory(status=Status.DEAD)
    result = tasks.reconcile_upstream.apply().get()
    report = ReconciliationReport.objects.get(pk=result["id"])
    assert result["is_clean"] is False
    assert report == ReconciliationReport.objects.first()  # the latest, shown on the ops page
