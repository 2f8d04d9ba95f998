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
    for name in ("watch-match-changes", "watch-send-webhooks", "watch-email-digest"):
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
