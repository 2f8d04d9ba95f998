"""The monitoring endpoint: database, broker, worker, upstream reachable, outbox backlog (issue 4)."""

import pytest

from credit_portal.exchange.models import OutboxEvent

from .factories import OutboxEventFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/exchange/health/"


def test_health_reports_every_check_and_the_backlog(api_for, administrator, fake_upstream, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    OutboxEventFactory.create_batch(2)
    response = api_for(administrator).get(URL)
    body = response.json()
    assert response.status_code == 200
    assert body["checks"] == {"database": True, "broker": None, "worker": None, "upstream": True}
    assert body["outbox"]["counts"]["pending"] == 2
    assert body["outbox"]["oldest_pending_seconds"] >= 0


def test_health_is_503_when_the_upstream_is_unreachable(api_for, reviewer, fake_upstream, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    fake_upstream.stop()
    response = api_for(reviewer).get(URL)
    assert response.status_code == 503
    assert response.json()["checks"]["upstream"] is False
    assert response.json()["healthy"] is False


def test_health_is_for_administrators_and_the_credit_office(api_for, clerk, api_client):
    assert api_for(clerk).get(URL).status_code == 403
    assert api_client.get(URL).status_code == 401
    assert OutboxEvent.objects.count() == 0


def test_health_is_also_at_the_ops_address_monitoring_uses(api_for, administrator, fake_upstream, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    body = api_for(administrator).get("/api/v1/ops/health/").json()
    assert body["checks"] == {"database": True, "broker": None, "worker": None, "upstream": True}
    assert api_for(administrator).get("/api/v1/ops/health", follow=True).json() == body
