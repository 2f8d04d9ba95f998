"""API-key authentication (issue 12): status, validity window, IP allowlist, scopes and the daily quota."""

from __future__ import annotations

import datetime

import pytest

from django.utils import timezone

from credit_portal.clients import services
from credit_portal.clients.choices import ClientStatus, Scope
from credit_portal.clients.models import ApiCall, ApiClient
from sanctions.models import CreditCheck
from tests.disclosure.factories import PenaltyFactory
from tests.registry.factories import SubjectFactory

from .factories import approved_client, caller

pytestmark = pytest.mark.django_db

CHECKS = "/api/v1/sanctions/credit-checks/"
PUBLIC = "/api/v1/public/penalties/"
TODAY = timezone.localdate()


def _error(response) -> dict:
    (error,) = response.json()["errors"]
    return error


@pytest.mark.parametrize("header", ["authorization", "x-api-key"])
def test_a_public_data_client_reads_public_records_with_either_header(reviewer, header):
    PenaltyFactory.create_batch(2, published=True, publication_end_date=datetime.date(2099, 1, 1))
    _client, key = approved_client(reviewer)
    response = caller(key, header=header).get(PUBLIC)
    assert response.status_code == 200
    assert response.json()["count"] == 2


def test_a_public_data_client_cannot_run_credit_checks(reviewer):
    subject = SubjectFactory()
    _client, key = approved_client(reviewer)
    response = caller(key).post(CHECKS, {"matter": "bidding", "subjects": [subject.uscc]}, format="json")
    assert response.status_code == 403
    assert _error(response)["code"] == "scope_missing"
    assert "信用核查" in _error(response)["message"]
    assert not CreditCheck.objects.exists()


def test_a_public_data_client_cannot_file_records(reviewer):
    _client, key = approved_client(reviewer)
    response = caller(key).get("/api/v1/disclosure/penalties/")
    assert (response.status_code, _error(response)["code"]) == (403, "scope_missing")


def test_a_credit_check_client_runs_a_check_recorded_for_its_department(reviewer, department_a):
    subject = SubjectFactory()
    client, key = approved_client(reviewer, scopes=[Scope.CREDIT_CHECKS], department=department_a)
    response = caller(key).post(CHECKS, {"matter": "bidding", "subjects": [subject.uscc]}, format="json")
    assert response.status_code == 201, response.content
    check = CreditCheck.objects.get()
    assert (check.by, check.department) == (client.service_user, department_a)
    # ... but it may not read another scope's endpoints (filing), although its account is a clerk.
    assert caller(key).get("/api/v1/disclosure/penalties/").status_code == 403


def test_a_filing_client_acts_as_a_clerk_of_its_department(reviewer, department_a, department_b):
    mine = PenaltyFactory(department=department_a)
    PenaltyFactory(department=department_b)
    _client, key = approved_client(reviewer, scopes=[Scope.FILING], department=department_a)
    response = caller(key).get("/api/v1/disclosure/penalties/")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [mine.pk]
    # A filing client without the public-data scope does not read the public API by key.
    assert _error(caller(key).get(PUBLIC))["code"] == "scope_missing"


def test_a_wrong_key_is_401_even_on_a_public_endpoint(reviewer):
    _client, key = approved_client(reviewer)
    for path in (PUBLIC, CHECKS):
        response = caller(key[:-2] + "xx").get(path)
        assert response.status_code == 401
        assert _error(response)["code"] == "invalid_api_key"


def test_an_address_outside_the_allowlist_is_403_with_a_chinese_message(reviewer):
    _client, key = approved_client(reviewer, ip_allowlist="10.1.2.0/24\n2001:db8::/32")
    assert caller(key, address="10.1.2.200").get(PUBLIC).status_code == 200
    assert caller(key, address="2001:db8::5").get(PUBLIC).status_code == 200
    for path in (PUBLIC, "/api/v1/clients/me/"):
        response = caller(key, address="192.168.7.7").get(path)
        assert response.status_code == 403
        error = _error(response)
        assert error["code"] == "ip_not_allowed"
        assert "192.168.7.7" in error["message"] and "IP白名单" in error["message"]


def test_beyond_the_daily_quota_the_answer_is_429_with_retry_after(reviewer):
    _client, key = approved_client(reviewer, daily_quota=2)
    api = caller(key)
    assert [api.get(PUBLIC).status_code for _ in range(2)] == [200, 200]
    for path in (PUBLIC, "/api/v1/clients/me/"):  # the middleware and the DRF authentication class alike
        response = api.get(path)
        assert response.status_code == 429
        error = _error(response)
        assert error["code"] == "quota_exceeded"
        assert "今日调用次数已达上限（2 次）" in error["message"]
        assert 0 < int(response["Retry-After"]) <= 24 * 3600


def test_the_quota_restarts_the_next_day(reviewer):
    from credit_portal.clients import gate

    client, _key = approved_client(reviewer, daily_quota=1)
    now = timezone.now()
    gate.count_call(client, now=now)
    with pytest.raises(gate.QuotaExceeded):
        gate.count_call(client, now=now)
    gate.count_call(client, now=now + datetime.timedelta(days=1))


def test_outside_the_validity_window_calls_are_refused(reviewer):
    client, key = approved_client(reviewer, valid_until=TODAY + datetime.timedelta(days=10))
    ApiClient.objects.filter(pk=client.pk).update(
        valid_from=TODAY - datetime.timedelta(days=30), valid_until=TODAY - datetime.timedelta(days=1)
    )
    response = caller(key).get(PUBLIC)
    assert (response.status_code, _error(response)["code"]) == (403, "client_expired")
    ApiClient.objects.filter(pk=client.pk).update(
        valid_from=TODAY + datetime.timedelta(days=1), valid_until=TODAY + datetime.timedelta(days=10)
    )
    assert _error(caller(key).get(PUBLIC))["code"] == "client_not_yet_valid"


def test_the_expiry_job_marks_clients_past_their_window_and_their_keys_stop(reviewer):
    client, key = approved_client(reviewer, valid_until=TODAY + datetime.timedelta(days=3))
    assert services.expire_clients(today=TODAY) == 0
    assert services.expire_clients(today=TODAY + datetime.timedelta(days=4)) == 1
    client.refresh_from_db()
    assert client.status == ClientStatus.EXPIRED
    assert _error(caller(key).get(PUBLIC))["code"] == "client_expired"


def test_a_suspended_client_is_refused_until_reinstated(api_for, reviewer):
    client, key = approved_client(reviewer)
    api_for(reviewer).post(f"/api/v1/clients/manage/{client.pk}/suspend/", {"reason": "异常调用"})
    response = caller(key).get(PUBLIC)
    assert (response.status_code, _error(response)["code"]) == (403, "client_suspended")
    api_for(reviewer).post(f"/api/v1/clients/manage/{client.pk}/reinstate/")
    assert caller(key).get(PUBLIC).status_code == 200


def test_a_client_reads_its_own_terms(reviewer):
    _client, key = approved_client(reviewer, daily_quota=50)
    body = caller(key).get("/api/v1/clients/me/").json()
    assert (body["daily_quota"], body["calls_today"], body["scopes"]) == (50, 1, ["public_data"])
    assert key not in str(body)


def test_a_watchlist_client_keeps_watchlists_as_its_service_account_and_others_may_not(reviewer):
    _watcher, key = approved_client(reviewer, scopes=[Scope.WATCHLISTS])
    response = caller(key).post("/api/v1/watch/watchlists/", {"name": "授信客户"}, format="json")
    assert response.status_code == 201, response.content
    assert caller(key).get("/api/v1/watch/watchlists/").json()["results"][0]["name"] == "授信客户"
    _other, public_key = approved_client(reviewer, name="聚合平台")
    response = caller(public_key).get("/api/v1/watch/watchlists/")
    assert (response.status_code, _error(response)["code"]) == (403, "scope_missing")


def test_behind_one_proxy_the_allowlist_checks_the_address_the_proxy_saw_and_a_forged_one_is_not_stored(
    settings, reviewer
):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    _client, key = approved_client(reviewer, ip_allowlist="10.1.2.0/24")
    api = caller(key, address="127.0.0.1")
    assert api.get(PUBLIC, HTTP_X_FORWARDED_FOR="192.168.1.1, 10.1.2.9").status_code == 200
    response = api.get(PUBLIC, HTTP_X_FORWARDED_FOR="10.1.2.9, not-an-address")
    assert (response.status_code, _error(response)["code"]) == (403, "ip_not_allowed")
    assert list(ApiCall.objects.order_by("pk").values_list("client_address", flat=True)) == ["10.1.2.9", None]
