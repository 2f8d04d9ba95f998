"""The watch jobs are declared once (beat and run_jobs) and their tasks run the services (issue 12)."""

from __future__ import annotations

import pytest

from credit_portal import jobs
from credit_portal.celery import app
from credit_portal.watch import services, tasks
from credit_portal.watch.models import WatchMatch, WebhookDelivery

from .factories import change, code

pytestmark = pytest.mark.django_db


def test_the_jobs_are_declared_and_their_tasks_registered():
    declared = {job.name: job.task for job in jobs.JOBS}
    for name in ("watch-match-changes", "watch-send-webhooks", "watch-email-digest", "watch-prune"):
        assert declared[name] in app.tasks


def test_the_tasks_match_send_and_digest(clerk, receiver):
    from credit_portal.watch import webhooks

    clerk.email = "clerk@example.gov.cn"
    clerk.save()
    watchlist = services.create_watchlist(owner=clerk, name="任务测试")
    services.add_code(watchlist=watchlist, by=clerk, code=code(1))
    _endpoint, receiver.secret = webhooks.create_endpoint(owner=clerk, url=receiver.url)
    change(code(1))
    assert tasks.match_changes.delay().get()["matches"] == 1
    assert tasks.send_webhooks.delay().get() == {"delivered": 1}
    assert tasks.send_digests.delay().get() == 1
    assert WatchMatch.objects.get().digested_at is not None
    assert WebhookDelivery.objects.get().status == WebhookDelivery.Status.DELIVERED


def test_pruning_deletes_only_what_was_dealt_with_and_is_old(clerk, settings):
    import datetime

    from django.utils import timezone

    from credit_portal.watch import webhooks

    settings.WEBHOOK_ALLOW_HTTP_HOSTS = ["127.0.0.1"]
    watchlist = services.create_watchlist(owner=clerk, name="保留期限")
    for n in range(4):
        services.add_code(watchlist=watchlist, by=clerk, code=code(n))
    endpoint, _secret = webhooks.create_endpoint(owner=clerk, url="http://127.0.0.1:9/hook")
    changes = [change(code(n)) for n in range(4)]
    services.match_changes()
    now = timezone.now()
    old, recent = now - datetime.timedelta(days=400), now - datetime.timedelta(days=10)
    # change 0: dealt with long ago; 1: dealt with recently; 2: old but never digested or delivered; 3: untouched
    WatchMatch.objects.filter(change=changes[0]).update(matched_at=old, digested_at=old)
    WatchMatch.objects.filter(change=changes[1]).update(matched_at=recent, digested_at=recent)
    WatchMatch.objects.filter(change=changes[2]).update(matched_at=old)
    delivered = WebhookDelivery.Status.DELIVERED
    WebhookDelivery.objects.filter(change=changes[0]).update(status=delivered, delivered_at=old)
    WebhookDelivery.objects.filter(change=changes[1]).update(status=delivered, delivered_at=recent)
    WebhookDelivery.objects.filter(change=changes[2]).update(created_at=old)  # still pending after 400 days

    assert services.prune(now=now, keep_days=365, batch_size=1) == {"matches": 1, "deliveries": 1}
    kept = [changes[1].pk, changes[2].pk, changes[3].pk]
    assert sorted(WatchMatch.objects.values_list("change_id", flat=True)) == kept
    assert sorted(WebhookDelivery.objects.filter(endpoint=endpoint).values_list("change_id", flat=True)) == kept
    assert services.prune(now=now, keep_days=365) == {"matches": 0, "deliveries": 0}
    assert tasks.prune.delay().get() == {"matches": 0, "deliveries": 0}
