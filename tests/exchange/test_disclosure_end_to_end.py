"""End to end: penalties published, corrected and withdrawn through disclosure.services reach the fake upstream."""

import datetime

import pytest

from django.urls import reverse
from django.utils import timezone

from credit_portal.exchange import selectors, services
from credit_portal.exchange.models import OutboxEvent
from credit_portal.models import Notification

disclosure_services = pytest.importorskip("disclosure.services")
from disclosure.models import Penalty  # noqa: E402
from tests.disclosure.factories import penalty_data  # noqa: E402

pytestmark = pytest.mark.django_db

Status = OutboxEvent.Status


def published_penalty(clerk, number="西青市监罚〔2026〕101号") -> Penalty:
    decided = timezone.localdate() - datetime.timedelta(days=3)
    penalty = disclosure_services.file_penalty(
        by=clerk, department=clerk.department, data=penalty_data(number=number, decision_date=decided.isoformat())
    )
    return disclosure_services.publish_penalty(penalty=penalty, by=clerk)


def drain():
    return services.drain_outbox(batch_size=50, time_budget_seconds=30)


def test_a_published_penalty_reaches_the_upstream_once_with_its_standard_fields(fake_upstream, clerk):
    penalty = published_penalty(clerk)
    event = OutboxEvent.objects.get(object_id=penalty.pk, kind="penalty")
    assert event.department == clerk.department
    assert drain() == {"sent": 1, "accepted": 1}
    (record,) = fake_upstream.records()
    assert record["idempotency_key"] == event.idempotency_key
    assert record["action"] == "upsert"
    assert record["payload"]["document_number"] == "西青市监罚〔2026〕101号"
    assert record["payload"]["uscc"] == penalty.uscc
    report = services.reconcile_upstream(now=timezone.now())
    (entry,) = [kind for kind in report.report["kinds"] if kind["model"] == "disclosure.Penalty"]
    assert (entry["expected"], entry["without_event"], entry["not_delivered"]) == (1, 0, 0)


def test_three_corrections_then_a_withdrawal_arrive_in_order(fake_upstream, clerk):
    penalty = published_penalty(clerk)
    for n in range(1, 4):
        disclosure_services.correct_penalty(
            penalty=penalty, by=clerk, changes={"content": f"罚款人民币{n}万元整。"}, reason="更正笔误"
        )
    disclosure_services.withdraw_penalty(
        penalty=penalty, by=clerk, reason="决定被撤销", document="西青市监撤〔2026〕1号"
    )
    events = list(OutboxEvent.objects.filter(object_id=penalty.pk, kind="penalty").order_by("pk"))
    assert [event.action for event in events] == ["upsert"] * 4 + ["withdraw"]
    drain()
    records = fake_upstream.records()
    assert [r["idempotency_key"] for r in records] == [event.idempotency_key for event in events]
    assert [r["payload"].get("content") for r in records[1:4]] == [f"罚款人民币{n}万元整。" for n in range(1, 4)]
    assert records[-1]["action"] == "withdraw"


def test_a_rejected_penalty_is_shown_to_its_clerks_and_a_correction_sends_again(fake_upstream, clerk, clerk_b, client):
    fake_upstream.configure(reject_rate=1.0)
    penalty = published_penalty(clerk)
    assert drain() == {"sent": 1, "rejected": 1}
    note = Notification.objects.get(user=clerk, kind="upstream_rejected")
    assert "上游平台校验未通过" in note.message
    assert not Notification.objects.filter(user=clerk_b).exists()
    client.force_login(clerk)
    assert "上游平台校验未通过" in client.get(reverse("ops-rejected")).content.decode()

    fake_upstream.configure(reject_rate=0.0)
    disclosure_services.correct_penalty(
        penalty=penalty, by=clerk, changes={"content": "罚款人民币叁万元整。"}, reason="按上游意见更正"
    )
    assert drain() == {"sent": 1, "accepted": 1}
    assert list(selectors.rejected_events_for(user=clerk)) == []
