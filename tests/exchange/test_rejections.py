"""Rejected records: final, shown to the source department's clerks with the upstream's message (DOMAIN §12)."""

import pytest

from django.urls import reverse

from credit_portal.exchange import services
from credit_portal.exchange.models import OutboxEvent
from credit_portal.models import Notification

from .factories import OutboxEventFactory, penalty_payload

pytestmark = pytest.mark.django_db

Status = OutboxEvent.Status


def missing_number_event(department, n=1):
    payload = penalty_payload(n)
    del payload["document_number"]
    return OutboxEventFactory(department=department, payload=payload)


def test_a_payload_missing_a_mandatory_field_is_rejected_with_the_upstream_message(fake_upstream, department_a):
    event = missing_number_event(department_a)
    outcome = services.push_due_events(batch_size=10)
    event.refresh_from_db()
    assert outcome == {"sent": 1, "rejected": 1}
    assert event.status == Status.REJECTED
    assert "行政处罚决定书文号" in event.last_error
    assert fake_upstream.records() == []


def test_a_rejection_notifies_the_clerks_of_the_department_only(fake_upstream, clerk, clerk_b, administrator):
    event = missing_number_event(clerk.department)
    services.push_due_events(batch_size=10)
    note = Notification.objects.get(user=clerk, kind="upstream_rejected")
    assert "缺少必填字段" in note.message
    assert "行政处罚决定书文号" in note.message
    assert note.link == reverse("ops-rejected")
    assert str(event.object_id) in note.message
    assert not Notification.objects.filter(user=clerk_b, kind="upstream_rejected").exists()
    assert not Notification.objects.filter(user=administrator, kind="upstream_rejected").exists()


def test_a_rejected_event_is_not_retried(fake_upstream, department_a):
    missing_number_event(department_a)
    services.push_due_events(batch_size=10)
    OutboxEvent.objects.update(next_attempt_at="2000-01-01T00:00:00Z")
    assert services.push_due_events(batch_size=10) == {}
    assert fake_upstream.stats()["requests"] == 1


def test_rejection_is_visible_on_ops_rejected_to_the_departments_clerk_only(fake_upstream, client, clerk, clerk_b):
    event = missing_number_event(clerk.department)
    services.push_due_events(batch_size=10)
    client.force_login(clerk)
    page = client.get(reverse("ops-rejected"))
    assert page.status_code == 200
    assert f'id="event-{event.pk}"' in page.content.decode()
    assert "行政处罚决定书文号" in page.content.decode()
    client.force_login(clerk_b)
    other = client.get(reverse("ops-rejected"))
    assert f'id="event-{event.pk}"' not in other.content.decode()


def test_a_corrected_record_sends_again_and_closes_the_rejection(fake_upstream, clerk):
    rejected = missing_number_event(clerk.department)
    services.push_due_events(batch_size=10)
    corrected = OutboxEventFactory(
        department=clerk.department, object_id=rejected.object_id, payload=penalty_payload(1)
    )
    assert services.push_due_events(batch_size=10) == {"sent": 1, "accepted": 1}
    corrected.refresh_from_db()
    assert corrected.status == Status.DELIVERED
    from credit_portal.exchange import selectors

    assert list(selectors.rejected_events_for(user=clerk)) == []


def test_random_rejections_of_valid_records_are_reported_too(fake_upstream, department_a):
    fake_upstream.configure(reject_rate=1.0)
    event = OutboxEventFactory(department=department_a)
    services.push_due_events(batch_size=10)
    event.refresh_from_db()
    assert event.status == Status.REJECTED
    assert "上游平台校验未通过" in event.last_error
