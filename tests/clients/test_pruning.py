"""Call-log pruning (issue 12, DOMAIN §10): public-data calls after a set period, other calls never before 5 years."""

from __future__ import annotations

import datetime

import pytest

from django.utils import timezone

from credit_portal import jobs
from credit_portal.clients import services
from credit_portal.clients.models import ApiCall

from .factories import approved_client

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _call(client, *, days_ago: int, is_public: bool) -> ApiCall:
    return ApiCall.objects.create(
        client=client,
        at=NOW - datetime.timedelta(days=days_ago),
        method="GET",
        path="/api/v1/public/penalties/" if is_public else "/api/v1/sanctions/credit-checks/",
        status_code=200,
        is_public=is_public,
    )


def test_public_calls_go_after_the_set_period_and_non_public_ones_only_after_five_years(settings, reviewer):
    settings.CLIENTS_PUBLIC_CALL_LOG_DAYS = 90
    settings.CLIENTS_CALL_LOG_YEARS = 1  # asks for less than DOMAIN §10 allows: 5 years are kept all the same
    client, _key = approved_client(reviewer)
    kept = [
        _call(client, days_ago=30, is_public=True),
        _call(client, days_ago=200, is_public=False),
        _call(client, days_ago=4 * 365, is_public=False),
        _call(client, days_ago=5 * 365 - 2, is_public=False),
    ]
    _call(client, days_ago=91, is_public=True)
    _call(client, days_ago=6 * 365, is_public=False)
    assert services.prune_call_logs(now=NOW) == {"public": 1, "restricted": 1}
    assert set(ApiCall.objects.values_list("pk", flat=True)) == {call.pk for call in kept}


def test_pruning_is_a_declared_periodic_job():
    tasks = {job.task for job in jobs.JOBS}
    assert "credit_portal.clients.tasks.prune_call_logs" in tasks
    assert "credit_portal.clients.tasks.expire_clients" in tasks
