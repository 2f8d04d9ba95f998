"""The HTTP adapter of the upstream sharing platform (DOMAIN §12), on the standard library's http.client.

Every failure of a whole request (429, 5xx, other HTTP errors, time-outs, refused or dropped connections, an
answer that is not the protocol's JSON) raises ``Unavailable``: the relay retries the batch later with the same
idempotency keys, so a request the upstream processed but never answered is harmless.
"""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from .models import OutboxEvent


class Unavailable(Exception):
    """The batch did not get a usable answer; ``retry_after`` is the upstream's Retry-After in seconds, if any."""

    def __init__(self, message: str, *, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Result:
    """The upstream's verdict on one record."""

    idempotency_key: str
    status: str  # accepted | duplicate | rejected
    upstream_id: str
    message: str


STATUSES = frozenset({"accepted", "duplicate", "rejected"})


def record_of(event: OutboxEvent) -> dict:
    """The protocol's shape of one event."""
    return {
        "idempotency_key": event.idempotency_key,
        "kind": event.kind,
        "action": event.action,
        "payload": event.payload,
    }


def _connection(url: str, timeout: float) -> tuple[http.client.HTTPConnection, str]:
    parts = urlsplit(url)
    connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    return connection_class(parts.hostname, parts.port, timeout=timeout), parts.path.rstrip("/")


def _retry_after(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:  # an HTTP date: the relay's own backoff applies
        return None


def post_records(events: Iterable[OutboxEvent], *, url: str | None = None, timeout: float | None = None) -> dict:
    """POST one batch to ``{UPSTREAM_URL}/records``; returns ``{idempotency_key: Result}``."""
    url = url or settings.UPSTREAM_URL
    timeout = timeout if timeout is not None else settings.UPSTREAM_TIMEOUT_SECONDS
    body = json.dumps({"records": [record_of(event) for event in events]}, ensure_ascii=False).encode()
    headers = {
        "Authorization": f"Bearer {settings.UPSTREAM_TOKEN}",
        "Content-Type": "application/json; charset=utf-8",
        "Accept": "application/json",
    }
    connection, base_path = _connection(url, timeout)
    try:
        connection.request("POST", f"{base_path}/records", body=body, headers=headers)
        response = connection.getresponse()
        raw = response.read()
    except TimeoutError as exc:  # socket.timeout is TimeoutError since Python 3.10
        raise Unavailable(_("上游平台响应超时（%(seconds)s 秒）。") % {"seconds": timeout}) from exc
    except (OSError, http.client.HTTPException) as exc:  # refused, reset, dropped before the answer
        raise Unavailable(_("无法连接上游平台：%(error)s") % {"error": exc.__class__.__name__}) from exc
    finally:
        connection.close()
    if response.status != 200:
        raise Unavailable(
            _("上游平台返回 HTTP %(status)s。") % {"status": response.status},
            retry_after=_retry_after(response.getheader("Retry-After")),
        )
    try:
        results = json.loads(raw)["results"]
        parsed = [
            Result(
                idempotency_key=str(item["idempotency_key"]),
                status=item["status"],
                upstream_id=str(item.get("upstream_id") or ""),
                message=str(item.get("message") or ""),
            )
            for item in results
        ]
    except (ValueError, KeyError, TypeError) as exc:
        raise Unavailable(_("上游平台的应答格式不正确。")) from exc
    return {result.idempotency_key: result for result in parsed if result.status in STATUSES}


def is_reachable(*, url: str | None = None, timeout: float = 2.0) -> bool:
    """Whether the upstream answers HTTP at all (any status); for the health check."""
    connection, base_path = _connection(url or settings.UPSTREAM_URL, timeout)
    try:
        connection.request("HEAD", base_path or "/")
        connection.getresponse().read()
    except (TimeoutError, OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()
    return True
