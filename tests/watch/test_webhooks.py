"""Webhooks against a real HTTP receiver on 127.0.0.1: signatures, retries, order per subject, disabling (issue 12)."""

from __future__ import annotations

import datetime

import pytest

from django.core import mail
from django.utils import timezone

from credit_portal.models import Notification
from credit_portal.watch import services, webhooks
from credit_portal.watch.models import WebhookDelivery

from .factories import change, code

pytestmark = pytest.mark.django_db
Status = WebhookDelivery.Status


@pytest.fixture
def watched(clerk):
    watchlist = services.create_watchlist(owner=clerk, name="推送测试")
    for n in (1, 2):
        services.add_code(watchlist=watchlist, by=clerk, code=code(n))
    return watchlist


@pytest.fixture
def endpoint(clerk, receiver, watched):
    endpoint, secret = webhooks.create_endpoint(owner=clerk, url=receiver.url)
    receiver.secret = secret
    return endpoint


def later(minutes: int) -> datetime.datetime:
    """A moment past every backoff of the test settings (at most 60 s)."""
    return timezone.now() + datetime.timedelta(minutes=minutes)


def test_the_receiver_verifies_the_signature_and_gets_the_change(endpoint, receiver):
    event = change(code(1), name="天津甲科技有限公司")
    services.match_changes()
    assert webhooks.send_due_deliveries() == {"delivered": 1}
    [request] = receiver.received
    assert request.signature_ok
    delivery = WebhookDelivery.objects.get()
    assert request.headers[webhooks.HEADER_ID] == delivery.delivery_id
    assert request.headers[webhooks.HEADER_EVENT] == "change.published"
    assert request.json["delivery_id"] == delivery.delivery_id
    assert request.json["change"]["id"] == event.pk
    assert request.json["change"]["summary"]["subject_name"] == "天津甲科技有限公司"
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (Status.DELIVERED, 1, 200)


def test_a_request_signed_with_another_secret_fails_verification(endpoint, receiver, clerk):
    webhooks.rotate_secret(endpoint=endpoint, by=clerk)  # the receiver still holds the old secret
    change(code(1))
    services.match_changes()
    assert webhooks.send_due_deliveries() == {"failed": 1}
    assert not receiver.received[0].signature_ok
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == Status.PENDING
    assert delivery.last_error == "接收方返回 HTTP 401。"


def test_signature_verification_refuses_tampering_and_old_timestamps():
    body = b'{"a": 1}'
    signature = webhooks.sign(secret="s", timestamp=1_000_000, body=body)
    assert webhooks.verify(secret="s", timestamp="1000000", body=body, signature=signature, now=1_000_100)
    assert not webhooks.verify(secret="s", timestamp="1000000", body=b'{"a": 2}', signature=signature, now=1_000_100)
    assert not webhooks.verify(secret="s", timestamp="1000000", body=body, signature=signature, now=1_000_000 + 301)


def test_a_failing_receiver_is_retried_with_backoff_until_it_recovers(endpoint, receiver):
    receiver.answers.extend([500, 503])
    change(code(1))
    services.match_changes()
    assert webhooks.send_due_deliveries() == {"failed": 1}
    delivery = WebhookDelivery.objects.get()
    assert delivery.next_attempt_at > timezone.now()  # backoff: not due again at once
    assert webhooks.send_due_deliveries() == {}
    assert webhooks.send_due_deliveries(now=later(5)) == {"failed": 1}
    assert webhooks.send_due_deliveries(now=later(10)) == {"delivered": 1}
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (Status.DELIVERED, 3, "")
    assert [item.answered for item in receiver.received] == [500, 503, 200]
    # Every attempt carried the same idempotency id.
    assert {item.headers[webhooks.HEADER_ID] for item in receiver.received} == {delivery.delivery_id}
    endpoint.refresh_from_db()
    assert endpoint.failure_streak == 0 and endpoint.last_success_at is not None


def test_an_unreachable_receiver_is_a_failure_with_a_message(clerk, watched):
    webhooks.create_endpoint(owner=clerk, url="http://127.0.0.1:9/closed")  # port 9: nothing listens
    change(code(1))
    services.match_changes()
    assert webhooks.send_due_deliveries() == {"failed": 1}
    assert WebhookDelivery.objects.get().last_error.startswith("无法连接接收方")


def test_deliveries_of_one_subject_arrive_in_change_order(endpoint, receiver):
    first_a = change(code(1), action="published")
    first_b = change(code(2))
    second_a = change(code(1), action="withdrawn")
    services.match_changes()
    due = set(webhooks.due_deliveries(now=timezone.now()).values_list("change_id", flat=True))
    assert due == {first_a.pk, first_b.pk}  # the withdrawal waits for the publication of its subject
    receiver.answers.append(500)  # the first request (A's publication) fails
    webhooks.send_due_deliveries()
    webhooks.drain(now=later(5))
    delivered = [item.json["change"]["id"] for item in receiver.delivered]
    assert sorted(delivered) == sorted([first_a.pk, first_b.pk, second_a.pk])
    assert delivered.index(first_a.pk) < delivered.index(second_a.pk)


def test_a_long_failure_streak_disables_the_endpoint_and_mails_the_owner(
    endpoint, receiver, clerk, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_DISABLE_AFTER_FAILURES = 3
    clerk.email = "clerk@example.gov.cn"
    clerk.save()
    receiver.answers.extend([500] * 10)
    change(code(1))
    services.match_changes()
    with django_capture_on_commit_callbacks(execute=True):
        for minutes in (0, 5, 10):
            webhooks.send_due_deliveries(now=later(minutes))
    endpoint.refresh_from_db()
    assert endpoint.disabled_at is not None and endpoint.failure_streak == 3
    [message] = mail.outbox
    assert message.to == ["clerk@example.gov.cn"]
    assert "自动停用" in message.subject and "连续 3 次推送失败" in message.body
    assert Notification.objects.filter(user=clerk, kind="webhook_disabled").exists()
    # Disabled: nothing is sent any more, and new changes still queue for it (at least once, after re-enabling).
    assert webhooks.send_due_deliveries(now=later(60)) == {}
    change(code(2))
    services.match_changes()
    assert WebhookDelivery.objects.filter(status=Status.PENDING).count() == 2
    receiver.answers.clear()
    webhooks.enable_endpoint(endpoint=endpoint, by=clerk)
    assert webhooks.drain(now=later(60)) == {"delivered": 2}


def test_manual_redelivery_sends_the_same_delivery_again(endpoint, receiver, clerk, clerk_b):
    change(code(1))
    services.match_changes()
    webhooks.send_due_deliveries()
    delivery = WebhookDelivery.objects.get()
    with pytest.raises(webhooks.NotFound):
        webhooks.redeliver(delivery=delivery, by=clerk_b)
    webhooks.redeliver(delivery=delivery, by=clerk)
    assert webhooks.send_due_deliveries() == {"delivered": 1}
    assert [item.headers[webhooks.HEADER_ID] for item in receiver.received] == [delivery.delivery_id] * 2
    delivery.refresh_from_db()
    assert delivery.attempts == 2


def test_a_manual_redelivery_after_a_failure_goes_at_the_next_run_without_waiting_out_the_backoff(
    endpoint, receiver, clerk, settings
):
    settings.WEBHOOK_BACKOFF_BASE_SECONDS = settings.WEBHOOK_BACKOFF_MAX_SECONDS = 3600
    receiver.answers.append(500)
    change(code(1))
    services.match_changes()
    assert webhooks.send_due_deliveries() == {"failed": 1}
    assert webhooks.send_due_deliveries() == {}  # the endpoint waits out its backoff (30 to 60 minutes here)
    delivery = WebhookDelivery.objects.get()
    webhooks.redeliver(delivery=delivery, by=clerk)  # the owner fixed the receiver and asks for it now
    assert webhooks.send_due_deliveries() == {"delivered": 1}
    endpoint.refresh_from_db()
    assert (endpoint.failure_streak, [item.answered for item in receiver.received]) == (0, [500, 200])


def test_redelivering_to_a_switched_off_endpoint_says_it_must_be_enabled(client, endpoint, receiver, clerk):
    change(code(1))
    services.match_changes()
    webhooks.send_due_deliveries()
    webhooks.update_endpoint(endpoint=endpoint, by=clerk, is_active=False)
    client.force_login(clerk)
    delivery = WebhookDelivery.objects.get()
    page = client.post(f"/staff/watch/deliveries/{delivery.pk}/redeliver/", follow=True).content.decode()
    assert "该推送地址已停用：启用后才会发送。" in page
    assert webhooks.send_due_deliveries() == {}


def test_https_is_required_except_for_allowed_local_hosts(clerk, settings):
    with pytest.raises(webhooks.WatchError) as refused:
        webhooks.create_endpoint(owner=clerk, url="http://example.com/hook")
    assert refused.value.code == "https_required"
    settings.WEBHOOK_ALLOW_HTTP_HOSTS = []
    with pytest.raises(webhooks.WatchError):
        webhooks.create_endpoint(owner=clerk, url="http://127.0.0.1:8000/hook")
    for internal in ("https://10.1.2.3/hook", "https://169.254.169.254/latest", "https://[::1]/hook"):
        with pytest.raises(webhooks.WatchError) as refused:
            webhooks.create_endpoint(owner=clerk, url=internal)
        assert refused.value.code == "private_address"
    endpoint, secret = webhooks.create_endpoint(owner=clerk, url="https://bank.example.com/hook")
    assert secret.startswith("whsec_") and secret not in endpoint.secret_encrypted


def test_the_webhook_page_shows_the_log_and_redelivers(client, endpoint, receiver, clerk):
    receiver.answers.append(500)
    change(code(1))
    services.match_changes()
    webhooks.send_due_deliveries()
    delivery = WebhookDelivery.objects.get()
    client.force_login(clerk)
    page = client.get(f"/staff/watch/webhooks/{endpoint.pk}/").content.decode()
    assert delivery.delivery_id in page and "接收方返回 HTTP 500。" in page and "X-Webhook-Signature" in page
    response = client.post(f"/staff/watch/deliveries/{delivery.pk}/redeliver/")
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.next_attempt_at <= timezone.now()


def test_a_host_name_that_resolves_to_the_internal_network_is_never_sent_to(clerk, receiver, watched, settings):
    """SSRF: "localhost" passes registration (a name, not an address) but resolves to 127.0.0.1 when sending."""
    settings.WEBHOOK_ALLOW_HTTP_HOSTS = []
    port = receiver.url.split(":")[2].split("/")[0]
    endpoint, receiver.secret = webhooks.create_endpoint(owner=clerk, url=f"https://localhost:{port}/hooks")
    change(code(1))
    services.match_changes()
    assert webhooks.send_due_deliveries() == {"failed": 1}
    assert receiver.received == []  # not even a connection attempt reached the receiver's handler
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert delivery.status == Status.PENDING and "内部网络地址" in delivery.last_error
