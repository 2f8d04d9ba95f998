"""Public searches, report generation and applications are limited per client address, pages and API alike, with a
429 and a Chinese message (issue 9 §3); staff login is audited (issue 9 §2)."""

from __future__ import annotations

import pytest

from django.test import Client, override_settings
from django.urls import reverse

from credit_portal.models import AuditEvent
from credit_portal.ratelimit import LIMITED, NOT_LIMITED, hit, parse_rate

from .test_permission_matrix import expected_for
from .urlwalk import walk

pytestmark = pytest.mark.django_db

DUMMY = {
    "pk": "1",
    "key": "1",
    "tracking_number": "ABCDEF123",
    "uscc": "91350100M000100Y43",
    "year": "2026",
    "kind": "penalty",
    "file_format": "csv",
    "date": "2026-01-01",
    "name": "penalties.csv",
}
TWO_PER_MINUTE = {"search": "2/min", "report": "2/min", "application": "2/min", "tracking": "2/min"}


def _public_routes():
    """Routes anonymous visitors may use (the permission matrix's "ok" or "405" for anonymous)."""
    routes = []
    for route in walk():
        expected = expected_for(route.name)
        if expected and expected[0] in ("ok", "405") and not route.name.startswith("admin:"):
            routes.append(route)
    return routes


def _base_name(route) -> str:
    return route.name.split(" @ ")[0].split(":")[-1]


def test_every_public_url_is_rate_limited_or_named_as_open_with_a_reason():
    public = {_base_name(route) for route in _public_routes()}
    unclassified = sorted(public - set(LIMITED) - set(NOT_LIMITED))
    assert not unclassified, "public URLs neither in ratelimit.LIMITED nor in NOT_LIMITED:\n" + "\n".join(unclassified)
    every_name = {_base_name(route) for route in walk()}
    stale = sorted((set(LIMITED) | set(NOT_LIMITED)) - every_name)
    assert not stale, f"names in the rate-limit tables that no URL has: {stale}"


def test_the_default_rates_limit_every_bucket():
    from django.conf import settings

    for bucket in {limit.bucket for limit in LIMITED.values()}:
        assert parse_rate(settings.PUBLIC_RATE_LIMITS[bucket]), bucket


@override_settings(PUBLIC_RATE_LIMITS=TWO_PER_MINUTE)
def test_each_limited_url_answers_429_with_a_chinese_message_after_its_rate():
    routes = {_base_name(route): route for route in walk()}
    failures = []
    for index, (name, limit) in enumerate(sorted(LIMITED.items())):
        route = routes[name]
        path = reverse(route.name.split(" @ ")[0], kwargs={kwarg: DUMMY[kwarg] for kwarg in route.kwargs})
        method = sorted(limit.methods)[0].lower() if limit.methods else "get"
        address = f"10.6.{index // 250}.{index % 250 + 1}"
        client = Client()
        statuses = [getattr(client, method)(path, REMOTE_ADDR=address).status_code for _ in range(2)]
        if 429 in statuses or 500 in statuses:
            failures.append(f"{name} {path}: within the rate {statuses}")
            continue
        response = getattr(client, method)(path, REMOTE_ADDR=address)
        if response.status_code != 429:
            failures.append(f"{name} {method.upper()} {path}: expected 429, got {response.status_code}")
            continue
        assert int(response["Retry-After"]) >= 1
        if path.startswith("/api/"):
            error = response.json()["errors"][0]
            assert error["code"] == "throttled" and "访问过于频繁" in error["message"], name
        else:
            assert "访问过于频繁" in response.content.decode(), name
        # Another address is counted apart.
        other = getattr(Client(), method)(path, REMOTE_ADDR=f"10.5.{index // 250}.{index % 250 + 1}")
        if other.status_code == 429:
            failures.append(f"{name}: another address was limited too")
    assert not failures, "\n".join(failures)


@override_settings(PUBLIC_RATE_LIMITS={"search": "10/min"})
def test_no_burst_of_twice_the_rate_fits_across_a_window_boundary():
    start = 1_800_000_000 - 1_800_000_000 % 60  # a window boundary
    # Ten requests in the last second of one window are within the rate ...
    assert all(hit("search", "10.8.0.1", now=start - 1 + n / 100) is None for n in range(10))
    # ... and the previous window still counts at the start of the next: no ten more.
    waits = [hit("search", "10.8.0.1", now=start + 1 + n / 100) for n in range(10)]
    assert all(wait is not None for wait in waits)
    # Retry-After is honest: once it has passed, one request goes through (the refused ones counted too).
    later = start + 1.09 + waits[-1]
    assert hit("search", "10.8.0.1", now=later) is None
    # Two windows on, the old requests no longer weigh at all.
    assert all(hit("search", "10.8.0.2", now=start - 1 + n / 100) is None for n in range(10))
    assert all(hit("search", "10.8.0.2", now=start + 60 + n / 100) is None for n in range(10))


@override_settings(PUBLIC_RATE_LIMITS={"search": "4/min"})
def test_a_steady_client_below_the_rate_is_never_refused():
    start = 1_800_000_000 - 1_800_000_000 % 60
    # One request every 20 s (three a minute), across many window boundaries and at every phase within them.
    for phase in range(0, 20, 3):
        address = f"10.8.1.{phase}"
        assert all(hit("search", address, now=start + phase + 20 * n) is None for n in range(30)), phase


@override_settings(PUBLIC_RATE_LIMITS=TWO_PER_MINUTE)
def test_a_forged_forwarded_header_does_not_escape_the_limit():
    client = Client()
    for number in range(2):
        client.get("/search/", REMOTE_ADDR="10.4.0.1", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
    response = client.get("/search/", REMOTE_ADDR="10.4.0.1", HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert response.status_code == 429


@override_settings(PUBLIC_RATE_LIMITS=TWO_PER_MINUTE)
def test_application_forms_are_limited_on_submission_only(client):
    for _ in range(4):
        assert client.get(reverse("repair-apply"), REMOTE_ADDR="10.4.0.2").status_code == 200


@override_settings(PUBLIC_RATE_LIMITS=TWO_PER_MINUTE)
def test_signed_in_staff_are_not_limited(clerk):
    client = Client()
    client.force_login(clerk)
    assert all(client.get("/search/", REMOTE_ADDR="10.4.0.3").status_code == 200 for _ in range(4))


# --- Staff login audit ---------------------------------------------------------------------------------------------
def test_staff_logins_and_failures_are_audited_with_time_and_address(clerk):
    clerk.set_password("a-long-enough-password-1")
    clerk.save()
    client = Client(HTTP_USER_AGENT="pytest-browser")
    client.post(reverse("login"), {"username": clerk.username, "password": "wrong"}, REMOTE_ADDR="10.3.0.1")
    client.post(
        reverse("login"), {"username": clerk.username, "password": "a-long-enough-password-1"}, REMOTE_ADDR="10.3.0.2"
    )
    client.post(reverse("logout"), REMOTE_ADDR="10.3.0.2")

    failed = AuditEvent.objects.get(action="login_failed")
    assert failed.ip_address == "10.3.0.1" and failed.detail["username"] == clerk.username
    assert "wrong" not in str(failed.detail)  # never the password tried
    login = AuditEvent.objects.get(action="login")
    assert login.actor == clerk and login.ip_address == "10.3.0.2" and login.at is not None
    assert login.detail["user_agent"] == "pytest-browser"
    assert AuditEvent.objects.filter(action="logout", actor=clerk).exists()


@override_settings(REST_FRAMEWORK={"NUM_PROXIES": 1})
def test_behind_a_trusted_proxy_the_audit_keeps_the_clients_address(clerk):
    Client().post(
        reverse("login"),
        {"username": clerk.username, "password": "wrong"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert AuditEvent.objects.get(action="login_failed").ip_address == "198.51.100.7"
