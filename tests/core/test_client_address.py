"""Rate limits key anonymous clients by their address, which a forged X-Forwarded-For must not change."""

from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle

from django.conf import settings
from django.test import RequestFactory, override_settings


def _ident(forwarded_for: str) -> str:
    request = RequestFactory().get("/api/v1/public/penalties/", REMOTE_ADDR="203.0.113.7")
    request.META["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return AnonRateThrottle().get_ident(Request(request))


def test_forged_forwarded_for_does_not_give_a_fresh_rate_limit_bucket():
    assert _ident("198.51.100.1") == _ident("198.51.100.2") == "203.0.113.7"


def test_behind_one_proxy_the_address_it_appended_is_the_client():
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}):  # DRF reloads on change
        assert _ident("10.9.9.9, 198.51.100.1") == "198.51.100.1"
