"""Per-address rate limits on the public search, report and application endpoints, pages and API alike (issue 9 §3).

One table names every limited URL and its bucket; ``PublicRateLimitMiddleware`` counts the anonymous requests of each
client address per bucket in the cache and answers 429 with a Chinese message once the bucket's rate is spent. Staff
signed in to the portal are not counted, nor registered API clients admitted by their key (their own quota applies,
credit_portal.clients); token callers are (the public endpoints ignore tokens).
The apps' own DRF throttles stay as a finer limit inside these.
"""

from __future__ import annotations

import ipaddress
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Limit:
    bucket: str  # a key of settings.PUBLIC_RATE_LIMITS
    methods: frozenset[str] | None = None  # None: every method


ANY = None
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# Every public search, report and application URL name (pages and API). tests/security/test_rate_limits.py walks
# the URL patterns and fails for a public URL that is neither here nor in NOT_LIMITED.
LIMITED: dict[str, Limit] = {
    # Searches and look-ups of the registry: the material a scraper wants.
    "search": Limit("search"),
    "code-check": Limit("search"),
    "api-validate-code": Limit("search"),
    "subject-search-public": Limit("search"),
    "subject-profile": Limit("search"),
    "credit-report": Limit("search"),
    "credit-report-verify": Limit("search"),
    "disclosure-public-penalties": Limit("search"),
    "disclosure-public-penalty": Limit("search"),
    "disclosure-public-licensings": Limit("search"),
    "disclosure-public-licensing": Limit("search"),
    "public-penalty-list": Limit("search"),
    "public-penalty-detail": Limit("search"),
    "public-licensing-list": Limit("search"),
    "public-licensing-detail": Limit("search"),
    "sanctions-public-list": Limit("search"),
    "sanctions-public-entry": Limit("search"),
    "public-list-entry-list": Limit("search"),
    "public-list-entry-detail": Limit("search"),
    "public-commitment-list": Limit("search"),
    "public-commitment-detail": Limit("search"),
    "public-grade": Limit("search"),
    "campaigns-star-merchants": Limit("search"),
    "public-star-merchant-list": Limit("search"),
    "public-star-merchant-detail": Limit("search"),
    # Report generation.
    "credit-report-download": Limit("report"),
    # Applications: filing (writes only; the empty form is free) and following them by tracking number.
    "repair-apply": Limit("application", WRITES),
    "objection-apply": Limit("application", WRITES),
    "public-repair-application-list": Limit("application", WRITES),
    "public-repair-application-supplement": Limit("application", WRITES),
    "campaigns-complaint-new": Limit("application", WRITES),
    "public-complaint-list": Limit("application", WRITES),
    "clients-apply": Limit("application", WRITES),
    "clients-application": Limit("application", WRITES),
    "repair-track": Limit("tracking"),
    "public-repair-application-track": Limit("tracking"),
    "campaigns-complaint-track": Limit("tracking"),
    "public-complaint-detail": Limit("tracking"),
}

# Public URLs deliberately left out, with the reason (the walk test reads this too).
NOT_LIMITED: dict[str, str] = {
    "home": "static start page",
    "login": "staff login: django-axes locks repeated failures",
    "logout": "ends a session",
    "api-schema": "API description",
    "api-docs": "API description",
    "calendar-years": "reference data (working-day calendars), no registry content",
    "department-list": "reference data: the departments",
    "department-detail": "reference data: the departments",
    "disclosure-import-template": "blank import template",
    "disclosure-import-template-api": "blank import template",
    "opendata-snapshots": "open data is published for bulk download on purpose",
    "opendata-download": "open data is published for bulk download on purpose",
    "opendata-public-changes": "open-data change feed, meant for bulk reading; its own FeedThrottle",
    "campaigns-home": "campaign news",
    "campaigns-detail": "campaign news",
    "campaigns-material": "campaign material",
    "campaigns-calendar": "campaign calendar",
    "campaigns-special-actions": "campaign pages",
    "campaigns-role-models": "published role models (few, curated)",
    "public-campaign-list": "campaign news",
    "public-campaign-detail": "campaign news",
    "public-special-action-list": "campaign pages",
    "public-special-action-detail": "campaign pages",
    "public-role-model-list": "published role models (few, curated)",
    "public-role-model-detail": "published role models (few, curated)",
    "public-integrity-summary": "one yearly summary of government bodies",
    "sanctions-public-integrity": "one yearly summary of government bodies",
}


def client_address(request: HttpRequest) -> str | None:
    """The caller's address: X-Forwarded-For is trusted only as far as the proxies in front (NUM_PROXIES)."""
    num_proxies = settings.REST_FRAMEWORK.get("NUM_PROXIES") or 0
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    candidate = request.META.get("REMOTE_ADDR", "")
    if num_proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            candidate = hops[-min(num_proxies, len(hops))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def parse_rate(rate: str) -> tuple[int, int] | None:
    """ "120/min" → (120, 60); empty → None (no limit)."""
    if not rate:
        return None
    count, _slash, period = rate.partition("/")
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}[period.strip()[:1].lower()]
    return int(count), seconds


def limit_for(request: HttpRequest) -> Limit | None:
    match = getattr(request, "resolver_match", None)
    if match is None or not match.url_name:
        return None
    limit = LIMITED.get(match.view_name) or LIMITED.get(match.url_name)
    if limit is None or (limit.methods is not None and request.method not in limit.methods):
        return None
    return limit


def hit(bucket: str, address: str, *, now: float | None = None) -> int | None:
    """Count one request; the seconds to wait when the bucket is spent, else None.

    Sliding window, estimated from two fixed ones: the requests of the current window plus those of the previous
    window weighted by how much of it the last ``seconds`` still cover. A plain fixed window lets a client spend its
    rate at the end of one window and again at the start of the next (twice the rate within a few seconds); the
    estimate does not, and costs one more cache read.
    """
    parsed = parse_rate(settings.PUBLIC_RATE_LIMITS.get(bucket, ""))
    if parsed is None:
        return None
    allowed, seconds = parsed
    now = time.time() if now is None else now
    window = int(now // seconds)
    key = f"ratelimit:{bucket}:{address}:{window}"
    timeout = 2 * seconds + 1  # read again as the previous window by the next one
    try:
        count = cache.incr(key)
    except ValueError:  # the window's first request
        count = 1 if cache.add(key, 1, timeout=timeout) else cache.incr(key)
    previous = cache.get(f"ratelimit:{bucket}:{address}:{window - 1}") or 0
    elapsed = now - window * seconds
    if count + previous * (1 - elapsed / seconds) <= allowed:
        return None
    return wait_seconds(allowed, seconds, count, previous, elapsed)


def wait_seconds(allowed: int, seconds: int, count: int, previous: int, elapsed: float) -> int:
    """When the next request would be within the rate again (no further requests meanwhile), at least 1 second."""
    if count >= allowed:
        # Only the next window helps; there this window's requests weigh as the previous ones do now.
        until_end = seconds - elapsed
        share = 1 - (allowed - 1) / count  # the part of the next window that must have passed
        return max(1, int(until_end + share * seconds + 0.999))
    # This window alone leaves room: wait until the previous window weighs little enough.
    share = 1 - (allowed - 1 - count) / previous  # previous * (1 - f) <= allowed - 1 - count
    return max(1, int(share * seconds - elapsed + 0.999))


def throttled_response(request: HttpRequest, wait: int) -> HttpResponse:
    message = _(
        "访问过于频繁，请在 %(seconds)s 秒后再试。为防止批量抓取，公开查询、信用报告和申请按来源地址限制频率。"
    ) % {"seconds": wait}
    if request.path.startswith("/api/"):
        response = JsonResponse({"errors": [{"field": None, "code": "throttled", "message": message}]}, status=429)
    else:
        response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = str(wait)
    return response


class PublicRateLimitMiddleware:
    """Applies ``LIMITED`` per client address; after AuthenticationMiddleware, so signed-in staff pass."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        limit = limit_for(request)
        if limit is None:
            return None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return None
        if getattr(request, "api_call", None) is not None:
            return None  # a registered API client admitted by its key: its quota applies (credit_portal.clients.gate)
        address = client_address(request) or "unknown"
        wait = hit(limit.bucket, address)
        if wait is not None:
            return throttled_response(request, wait)
        return None
