"""Admission of a call made with an API key, and its log: one home for both the DRF authentication class and the
middleware that covers anonymous endpoints (issue 12).

``admit`` checks, in this order: the key (401), the client's status and validity window, its IP allowlist, the scope
the endpoint needs (403 each, with a stable code), and the daily quota (429 with Retry-After). Once the client is
known, the call is noted on the request, so ``log_call`` records it with its answer, refused calls included.
"""

from __future__ import annotations

import datetime
import ipaddress
from dataclasses import dataclass

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from credit_portal.errors import DomainError
from credit_portal.ratelimit import client_address  # one reading of NUM_PROXIES for limits and clients

from . import keys, scopes
from .choices import ClientStatus, ErrorCode, Scope
from .models import ApiCall, ApiClient, ApiKey, DailyUsage

KEY_HEADER = "HTTP_X_API_KEY"
AUTH_SCHEME = "apikey"
# last_used_at is written at most this often per key: a busy client must not turn every call into two UPDATEs.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


class ClientRefused(DomainError):
    """A call refused for its client; ``status`` is the HTTP answer, ``wait`` the Retry-After seconds if any."""

    status = 403
    wait: int | None = None


class InvalidKey(ClientRefused):
    status = 401
    code = ErrorCode.INVALID_KEY
    default_message = _("API密钥无效、已吊销或已过期，请检查请求头 Authorization: ApiKey <密钥> 或 X-Api-Key。")


class QuotaExceeded(ClientRefused):
    status = 429
    code = ErrorCode.QUOTA_EXCEEDED


@dataclass
class CallNote:
    """What the log needs about a call, kept on the request until its answer is known."""

    client: ApiClient
    key: ApiKey
    scope: str
    address: str | None
    refused: bool = False
    rows: int | None = None


def key_from_headers(meta: dict) -> str | None:
    """The key of ``Authorization: ApiKey <key>`` or ``X-Api-Key: <key>``; None when neither is sent."""
    header = meta.get("HTTP_AUTHORIZATION", "")
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() == AUTH_SCHEME:
        return value.strip()
    value = meta.get(KEY_HEADER, "").strip()
    return value or None


def find_key(raw_key: str, *, now: datetime.datetime) -> ApiKey:
    """The usable key row for a presented key (one indexed lookup by prefix), or InvalidKey."""
    prefix = keys.prefix_of(raw_key or "")
    if prefix is None:
        raise InvalidKey()
    key = ApiKey.objects.usable(now=now).select_related("client__service_user").filter(prefix=prefix).first()
    if key is None or not keys.matches(raw_key, key.key_hash):
        raise InvalidKey()
    return key


def seconds_until_tomorrow(now: datetime.datetime) -> int:
    """Retry-After for an exhausted daily quota: until local midnight, when the day's count starts again."""
    local = timezone.localtime(now)
    midnight = (local + datetime.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(1, int((midnight - local).total_seconds()) + 1)


def admit(*, raw_key: str, request, path: str, view=None, now: datetime.datetime | None = None) -> ApiKey:
    """Check a presented key for this call and count it against the client's quota; refuse with ClientRefused."""
    now = now or timezone.now()
    key = find_key(raw_key, now=now)
    client = key.client
    scope = scopes.required_scope(path, view)
    note = CallNote(client=client, key=key, scope=scope, address=client_address(request))
    request.api_call = note
    try:
        check_terms(client, today=timezone.localdate(now))
        check_address(client, note.address)
        check_scope(client, scope)
        count_call(client, now=now)
    except ClientRefused:
        note.refused = True
        raise
    if key.last_used_at is None or now - key.last_used_at > LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key


def check_terms(client: ApiClient, *, today: datetime.date) -> None:
    """Approved, and within its validity window."""
    if client.status == ClientStatus.SUSPENDED:
        raise ClientRefused(_("该API客户端已被信用办暂停使用，请联系信用办。"), code=ErrorCode.SUSPENDED)
    if client.status == ClientStatus.EXPIRED or (client.valid_until and today > client.valid_until):
        raise ClientRefused(
            _("该API客户端的有效期已于 %(date)s 结束，请向信用办申请延期。") % {"date": client.valid_until or "—"},
            code=ErrorCode.EXPIRED,
        )
    if client.status != ClientStatus.APPROVED or client.service_user_id is None:
        raise ClientRefused(_("该API客户端尚未获得信用办批准。"), code=ErrorCode.NOT_APPROVED)
    if client.valid_from and today < client.valid_from:
        raise ClientRefused(
            _("该API客户端自 %(date)s 起方可使用。") % {"date": client.valid_from}, code=ErrorCode.NOT_YET_VALID
        )


def check_address(client: ApiClient, address: str | None) -> None:
    """The caller's address is in the allowlist, when the client has one."""
    networks = client.networks()
    if not networks:
        return
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        ip = None
    if ip is None or not any(ip.version == net.version and ip in net for net in networks):
        raise ClientRefused(
            _("来源地址 %(address)s 不在该API客户端的IP白名单内，请从登记的地址调用，或向信用办申请变更白名单。")
            % {"address": address or "—"},
            code=ErrorCode.IP_NOT_ALLOWED,
        )


def check_scope(client: ApiClient, scope: str) -> None:
    """The client holds the scope the endpoint needs."""
    if scope == scopes.ANY or client.has_scope(scope):
        return
    raise ClientRefused(
        _("该API客户端未获授权调用此接口（需要“%(scope)s”权限），请向信用办申请。")
        % {"scope": Scope(scope).label if scope in Scope.values else scope},
        code=ErrorCode.SCOPE_MISSING,
    )


def count_call(client: ApiClient, *, now: datetime.datetime) -> None:
    """Count the call on today's row, atomically and only below the quota; refuse with 429 beyond it."""
    day = timezone.localdate(now)
    quota = client.quota()
    usage = DailyUsage.objects.filter(client=client, day=day, calls__lt=quota)
    if usage.update(calls=F("calls") + 1):
        return
    DailyUsage.objects.bulk_create([DailyUsage(client=client, day=day)], ignore_conflicts=True)
    if usage.update(calls=F("calls") + 1):
        return
    refusal = QuotaExceeded(
        _("今日调用次数已达上限（%(quota)s 次），请于明日（北京时间零点后）再试，或向信用办申请提高额度。")
        % {"quota": quota}
    )
    refusal.wait = seconds_until_tomorrow(now)
    raise refusal


def note_rows(request, rows: int) -> None:
    """A view tells the log how many rows it returned (for answers whose shape the log cannot count)."""
    note = getattr(getattr(request, "_request", request), "api_call", None)
    if note is not None:
        note.rows = rows


def rows_in(response) -> int | None:
    """Rows of a DRF answer: the page's results, or a top-level list."""
    data = getattr(response, "data", None)
    if isinstance(data, list):
        return len(data)
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        return len(data["results"])
    return None


def log_call(request, response, *, now: datetime.datetime | None = None) -> ApiCall | None:
    """Write the call's log row and add it to the day's usage (after the answer, whatever it was)."""
    note: CallNote | None = getattr(request, "api_call", None)
    if note is None:
        return None
    now = now or timezone.now()
    status = response.status_code
    rows = note.rows if note.rows is not None else (None if status >= 400 else rows_in(response))
    call = ApiCall.objects.create(
        client=note.client,
        key=note.key,
        at=now,
        method=request.method[:8],
        path=request.path[:300],
        status_code=status,
        rows=rows,
        client_address=note.address,
        scope=note.scope if note.scope in Scope.values else "",
        is_public=scopes.is_public(note.scope),
    )
    day = timezone.localdate(now)
    if note.refused:
        changes = {"refused": F("refused") + 1}
    else:
        changes = {"rows": F("rows") + (rows or 0)}
        if status >= 400:
            changes["errors"] = F("errors") + 1
    if not DailyUsage.objects.filter(client=note.client, day=day).update(**changes):
        DailyUsage.objects.bulk_create([DailyUsage(client=note.client, day=day)], ignore_conflicts=True)
        DailyUsage.objects.filter(client=note.client, day=day).update(**changes)
    return call
