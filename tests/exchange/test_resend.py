"""Resending a dead or rejected event: administrators only, same key, fresh attempts (DOMAIN §12)."""

import pytest

from credit_portal.errors import PermissionDenied
from credit_portal.exchange import services
from credit_portal.exchange.models import OutboxEvent
from credit_portal.models import AuditEvent

from .factories import OutboxEventFactory

pytestmark = pytest.mark.django_db

Status = OutboxEvent.Status


def test_an_administrator_resends_a_dead_event_and_it_is_delivered(fake_upstream, administrator):
    event = OutboxEventFactory(status=Status.DEAD, attempts=5, last_error="上游平台返回 HTTP 500。")
    services.resend_event(event=event, by=administrator)
    event.refresh_from_db()
    assert (event.status, event.attempts, event.last_error) == (Status.PENDING, 0, "")
    assert services.push_due_events(batch_size=10) == {"sent": 1, "accepted": 1}
    assert fake_upstream.records()[0]["idempotency_key"] == event.idempotency_key  # the key never changes
    audit = AuditEvent.objects.get(action="upstream_resent", object_id=str(event.pk))
    assert audit.actor == administrator
    assert audit.detail["attempts"] == 5


@pytest.mark.parametrize("actor", ["reviewer", "clerk"])
def test_only_administrators_may_resend(request, actor):
    user = request.getfixturevalue(actor)
    event = OutboxEventFactory(status=Status.DEAD, attempts=5, department=getattr(user, "department", None))
    with pytest.raises(PermissionDenied):
        services.resend_event(event=event, by=user)
    event.refresh_from_db()
    assert event.status == Status.DEAD


@pytest.mark.parametrize("status", [Status.PENDING, Status.DELIVERED])
def test_pending_or_delivered_events_are_not_resendable(administrator, status):
    event = OutboxEventFactory(status=status)
    with pytest.raises(services.EventNotResendable):
        services.resend_event(event=event, by=administrator)


def test_an_event_superseded_by_a_newer_delivered_one_is_not_resent(administrator, department_a):
    old = OutboxEventFactory(department=department_a, object_id=5, status=Status.DEAD)
    OutboxEventFactory(department=department_a, object_id=5, status=Status.DELIVERED)
    with pytest.raises(services.EventSuperseded) as refused:
        services.resend_event(event=old, by=administrator)
    assert refused.value.code == "event_superseded"
