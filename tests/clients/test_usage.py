"""Call logging and usage statistics (issue 12): every client call logged with who, when, what, rows, address."""

from __future__ import annotations

import datetime

import pytest

from django.utils import timezone

from credit_portal.clients.choices import Scope
from credit_portal.clients.models import ApiCall, DailyUsage
from tests.disclosure.factories import PenaltyFactory
from tests.registry.factories import SubjectFactory

from .factories import approved_client, caller

pytestmark = pytest.mark.django_db


def test_every_call_is_logged_with_status_rows_and_address_and_counted_per_day(reviewer, department_a):
    PenaltyFactory.create_batch(3, published=True, publication_end_date=datetime.date(2099, 1, 1))
    subject = SubjectFactory()
    client, key = approved_client(
        reviewer, scopes=[Scope.PUBLIC_DATA, Scope.CREDIT_CHECKS], department=department_a, ip_allowlist="10.1.2.0/24"
    )
    api = caller(key, address="10.1.2.3")
    assert api.get("/api/v1/public/penalties/").status_code == 200
    assert (
        api.post(
            "/api/v1/sanctions/credit-checks/", {"matter": "bidding", "subjects": [subject.uscc]}, format="json"
        ).status_code
        == 201
    )
    assert api.get("/api/v1/disclosure/penalties/").status_code == 403  # refused: logged too
    assert caller(key, address="10.9.9.9").get("/api/v1/public/penalties/").status_code == 403
    calls = list(ApiCall.objects.order_by("pk"))
    assert [(c.method, c.path, c.status_code, c.rows, c.is_public) for c in calls] == [
        ("GET", "/api/v1/public/penalties/", 200, 3, True),
        ("POST", "/api/v1/sanctions/credit-checks/", 201, 1, False),
        ("GET", "/api/v1/disclosure/penalties/", 403, None, False),
        ("GET", "/api/v1/public/penalties/", 403, None, True),
    ]
    assert [c.client_address for c in calls] == ["10.1.2.3"] * 3 + ["10.9.9.9"]
    assert {c.client_id for c in calls} == {client.pk}
    usage = DailyUsage.objects.get(client=client, day=timezone.localdate())
    assert (usage.calls, usage.refused, usage.errors, usage.rows) == (2, 2, 0, 4)


def test_calls_without_a_key_are_not_client_calls(api_for, clerk):
    api_for(clerk).get("/api/v1/disclosure/penalties/")
    assert not ApiCall.objects.exists()


def test_the_office_sees_usage_per_client_per_day_and_clerks_do_not(api_for, client, reviewer, clerk):
    bank, key = approved_client(reviewer)
    other, _key = approved_client(reviewer, name="聚合平台")
    for _ in range(3):
        caller(key).get("/api/v1/public/penalties/")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    DailyUsage.objects.create(client=other, day=yesterday, calls=7, rows=70)
    rows = api_for(reviewer).get("/api/v1/clients/usage/").json()
    assert [(row["client"], row["day"], row["calls"]) for row in rows] == [
        (bank.pk, timezone.localdate().isoformat(), 3),
        (other.pk, yesterday.isoformat(), 7),
    ]
    assert api_for(clerk).get("/api/v1/clients/usage/").status_code == 403
    client.force_login(reviewer)
    page = client.get("/staff/clients/usage/")
    assert page.status_code == 200 and "聚合平台" in page.content.decode()
    client.force_login(clerk)
    assert client.get("/staff/clients/usage/").status_code == 403


def test_usage_period_is_checked(api_for, reviewer):
    response = api_for(reviewer).get("/api/v1/clients/usage/?since=2026-13-01")
    assert (response.status_code, response.json()["errors"][0]["field"]) == (400, "since")
