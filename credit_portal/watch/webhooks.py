"""Webhook endpoints and deliveries: signing, sending with retries, order per subject, disabling (issue 12).

Receivers verify each request like this (documented on the webhook page and in the API schema):

- ``X-Webhook-Id``: the delivery's idempotency id, the same on every retry and on a manual redelivery;
- ``X-Webhook-Timestamp``: Unix seconds when this attempt was signed (refuse old ones, e.g. > 5 minutes);
- ``X-Webhook-Signature``: ``sha256=`` + hex HMAC-SHA256 with the endpoint's secret of
  ``<timestamp> + "." + <raw body bytes>``;
- ``X-Webhook-Event``: ``change.<action>`` (published, corrected, withdrawn, expired, repaired, listed, removed).

The body is the change as the public feed shows it (``/api/v1/public/changes/``), under ``"change"``.
Any 2xx answer counts as delivered; anything else, a time-out or a refused connection is retried with exponential
backoff. The same pattern as the upstream relay (credit_portal.exchange.services): rows locked while in flight,
SKIP LOCKED on PostgreSQL, one row per delivery with attempts, next attempt and last error.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import ipaddress
import json
import random
import secrets
import socket
import time
from collections import Counter
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from credit_portal import audit, crypto
from credit_portal.db import skip_locked
from credit_portal.errors import NotFound
from credit_portal.notifications import notify_users

from .models import WebhookDelivery, WebhookEndpoint
from .services import WatchError, kick_sender

Status = WebhookDelivery.Status
HEADER_ID = "X-Webhook-Id"
HEADER_TIMESTAMP = "X-Webhook-Timestamp"
HEADER_SIGNATURE = "X-Webhook-Signature"
HEADER_EVENT = "X-Webhook-Event"
MAX_EXPONENT = 60


# --- signing -----------------------------------------------------------------------------------------------------


def sign(*, secret: str, timestamp: int, body: bytes) -> str:
    """``sha256=<hex>`` of HMAC-SHA256(secret, "<timestamp>." + body)."""
    digest = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(
    *, secret: str, timestamp: str, body: bytes, signature: str, tolerance: int = 300, now: float | None = None
) -> bool:
    """What a receiver does: the signature matches and the timestamp is recent (a reference for receivers)."""
    try:
        stamp = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs((now if now is not None else time.time()) - stamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret=secret, timestamp=stamp, body=body), signature or "")


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def secret_of(endpoint: WebhookEndpoint) -> str:
    return crypto.decrypt(endpoint.secret_encrypted)


# --- endpoints ---------------------------------------------------------------------------------------------------


def check_url(url: str) -> str:
    """HTTPS only; plain http:// only to the hosts in WEBHOOK_ALLOW_HTTP_HOSTS (tests, the demo)."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise WatchError(
            _("请填写完整的推送地址，例如 https://example.com/hooks/credit。"), code="invalid_url", field="url"
        )
    allowed = parts.hostname in settings.WEBHOOK_ALLOW_HTTP_HOSTS
    if parts.scheme == "http" and not allowed:
        raise WatchError(_("推送地址必须使用 HTTPS（https://）。"), code="https_required", field="url")
    try:
        address = ipaddress.ip_address(parts.hostname)
    except ValueError:
        address = None  # a host name: resolved when sending
    # The portal's own network is no receiver: internal and link-local addresses (e.g. cloud metadata) are refused.
    if address is not None and not allowed and not address.is_global:
        raise WatchError(_("推送地址不能指向内部网络地址。"), code="private_address", field="url")
    return url


def _own_endpoint(endpoint: WebhookEndpoint | int, by) -> WebhookEndpoint:
    pk = endpoint.pk if isinstance(endpoint, WebhookEndpoint) else endpoint
    found = WebhookEndpoint.objects.owned_by(by).select_for_update().filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


@transaction.atomic
def create_endpoint(*, owner, url: str, description: str = "", is_active: bool = True) -> tuple[WebhookEndpoint, str]:
    """A new endpoint with a fresh secret; returns the endpoint and the secret (shown to its owner)."""
    secret = new_secret()
    endpoint = WebhookEndpoint(
        owner=owner,
        url=check_url(url),
        description=(description or "").strip(),
        secret_encrypted=crypto.encrypt(secret),
        is_active=is_active,
    )
    endpoint.full_clean()
    endpoint.save()
    audit.record(endpoint, action="webhook_created", by=owner)
    return endpoint, secret


@transaction.atomic
def update_endpoint(*, endpoint: WebhookEndpoint, by, **changes) -> WebhookEndpoint:
    """Change the address, description or the owner's on/off switch."""
    endpoint = _own_endpoint(endpoint, by)
    fields = []
    if "url" in changes:
        endpoint.url = check_url(changes["url"])
        fields.append("url")
    if "description" in changes:
        endpoint.description = (changes["description"] or "").strip()
        fields.append("description")
    if "is_active" in changes:
        endpoint.is_active = bool(changes["is_active"])
        fields.append("is_active")
    endpoint.full_clean()
    endpoint.save(update_fields=[*fields, "updated_at"])
    return endpoint


@transaction.atomic
def rotate_secret(*, endpoint: WebhookEndpoint, by) -> tuple[WebhookEndpoint, str]:
    """A new secret; deliveries signed from now on use it."""
    endpoint = _own_endpoint(endpoint, by)
    secret = new_secret()
    endpoint.secret_encrypted = crypto.encrypt(secret)
    endpoint.save(update_fields=["secret_encrypted", "updated_at"])
    audit.record(endpoint, action="webhook_secret_rotated", by=by)
    return endpoint, secret


@transaction.atomic
def enable_endpoint(*, endpoint: WebhookEndpoint, by) -> WebhookEndpoint:
    """Switch an endpoint on again (also after an automatic disabling): the streak restarts, waiting rows go now."""
    endpoint = _own_endpoint(endpoint, by)
    endpoint.is_active = True
    endpoint.disabled_at = None
    endpoint.failure_streak = 0
    endpoint.next_attempt_at = timezone.now()
    endpoint.save(update_fields=["is_active", "disabled_at", "failure_streak", "next_attempt_at", "updated_at"])
    audit.record(endpoint, action="webhook_enabled", by=by)
    kick_sender()
    return endpoint


@transaction.atomic
def delete_endpoint(*, endpoint: WebhookEndpoint, by) -> None:
    endpoint = _own_endpoint(endpoint, by)
    audit.record(endpoint, action="webhook_deleted", by=by)
    endpoint.delete()


@transaction.atomic
def redeliver(*, delivery: WebhookDelivery, by) -> WebhookDelivery:
    """Send a delivery again now (same idempotency id); later ones of its subject wait for it, as for any retry."""
    found = (
        WebhookDelivery.objects.select_for_update().filter(pk=delivery.pk, endpoint__owner=by).first()
        if by is not None and by.is_authenticated
        else None
    )
    if found is None:
        raise NotFound()
    now = timezone.now()
    found.status = Status.PENDING
    found.next_attempt_at = now
    found.save(update_fields=["status", "next_attempt_at"])
    # The owner asks for it now, usually once the receiver is fixed: it must not wait out the endpoint's backoff
    # from the earlier failures (up to WEBHOOK_BACKOFF_MAX_SECONDS). The streak stays; a new failure backs off again.
    WebhookEndpoint.objects.filter(pk=found.endpoint_id, next_attempt_at__gt=now).update(next_attempt_at=now)
    audit.record(found, action="webhook_redelivered", by=by)
    kick_sender()
    return found


# --- sending -----------------------------------------------------------------------------------------------------


def backoff_delay(*, attempts: int, rng: random.Random | None = None) -> float:
    """Seconds to wait after the ``attempts``-th failure in a row: exponential, capped, with "equal jitter"."""
    exponent = min(max(attempts - 1, 0), MAX_EXPONENT)
    ceiling = min(settings.WEBHOOK_BACKOFF_MAX_SECONDS, settings.WEBHOOK_BACKOFF_BASE_SECONDS * 2**exponent)
    return ceiling / 2 + (rng or random).uniform(0, ceiling / 2)


def earlier_pending() -> Exists:
    """An undelivered delivery of the same endpoint and subject with an earlier change (as an outer query's row)."""
    return Exists(
        WebhookDelivery.objects.filter(
            endpoint_id=OuterRef("endpoint_id"),
            uscc=OuterRef("uscc"),
            status=Status.PENDING,
            change_id__lt=OuterRef("change_id"),
        )
    )


def due_deliveries(*, now: datetime) -> QuerySet[WebhookDelivery]:
    """Pending deliveries whose time has come, to a deliverable endpoint, that no earlier one of their subject holds.

    In order per subject: a delivery waits while an undelivered one of the same endpoint and subject with an earlier
    change exists (also one put back by a manual redelivery).
    """
    return WebhookDelivery.objects.filter(
        status=Status.PENDING,
        next_attempt_at__lte=now,
        endpoint__is_active=True,
        endpoint__disabled_at__isnull=True,
        endpoint__next_attempt_at__lte=now,
    ).filter(~earlier_pending())


def next_attempt_at(delivery: WebhookDelivery) -> datetime | None:
    """When the sender may try a pending delivery next, as ``due_deliveries`` decides: the later of the delivery's
    own backoff and its endpoint's (after any failure the whole endpoint waits). None when it is delivered or its
    endpoint is switched off, by its owner or after its failure streak: then nothing goes until it is enabled."""
    endpoint = delivery.endpoint
    if delivery.status != Status.PENDING or not endpoint.is_deliverable:
        return None
    return max(delivery.next_attempt_at, endpoint.next_attempt_at)


def body_of(delivery: WebhookDelivery) -> bytes:
    """The JSON body: the delivery id and the change as the public feed shows it (nothing personal, DOMAIN §10)."""
    change = delivery.change
    payload = {
        "delivery_id": delivery.delivery_id,
        "change": {
            "id": change.pk,
            "occurred_at": change.occurred_at.isoformat(),
            "kind": change.kind,
            "action": change.action,
            "object_id": change.object_id,
            "uscc": change.uscc,
            "summary": change.summary,
        },
    }
    return json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()


class Failed(Exception):
    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


def post(*, endpoint: WebhookEndpoint, delivery: WebhookDelivery, secret: str) -> int:
    """One signed POST; returns the 2xx status or raises Failed (non-2xx, time-out, refused, dropped)."""
    body = body_of(delivery)
    timestamp = int(time.time())
    parts = urlsplit(endpoint.url)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "credit-portal-webhooks/1",
        HEADER_ID: delivery.delivery_id,
        HEADER_TIMESTAMP: str(timestamp),
        HEADER_SIGNATURE: sign(secret=secret, timestamp=timestamp, body=body),
        HEADER_EVENT: f"change.{delivery.change.action}",
    }
    timeout = settings.WEBHOOK_TIMEOUT_SECONDS
    checked = parts.hostname not in settings.WEBHOOK_ALLOW_HTTP_HOSTS
    if checked:
        _refuse_internal_addresses(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = connection_class(parts.hostname, parts.port, timeout=timeout)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.connect()
        if checked and not _is_global(connection.sock.getpeername()[0]):  # the name changed its answer since
            raise Failed(_("推送地址解析到内部网络地址，已拒绝发送。"))
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(64 * 1024)
    except TimeoutError as exc:
        raise Failed(_("接收方响应超时（%(seconds)s 秒）。") % {"seconds": timeout}) from exc
    except (OSError, http.client.HTTPException) as exc:
        raise Failed(_("无法连接接收方：%(error)s") % {"error": exc.__class__.__name__}) from exc
    finally:
        connection.close()
    if not 200 <= response.status < 300:
        raise Failed(_("接收方返回 HTTP %(status)s。") % {"status": response.status}, status=response.status)
    return response.status


def _is_global(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global


def _refuse_internal_addresses(host: str, port: int) -> None:
    """A host name registered as public may resolve to the portal's own network (SSRF): checked at every send,
    before connecting, and the connected peer is checked again (a name may answer differently the second time)."""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)}
    except OSError as exc:
        raise Failed(_("无法解析推送地址的主机名：%(host)s") % {"host": host}) from exc
    if not all(_is_global(address) for address in addresses):
        raise Failed(_("推送地址解析到内部网络地址，已拒绝发送。"))


def send_due_deliveries(*, now: datetime | None = None, batch_size: int | None = None) -> dict[str, int]:
    """Send one batch of due deliveries; after a failure the endpoint's other rows wait for its backoff."""
    now = now or timezone.now()
    batch_size = batch_size or settings.WEBHOOK_BATCH_SIZE
    outcome: Counter[str] = Counter()
    disabled: list[WebhookEndpoint] = []
    with transaction.atomic():
        # Locked while in flight, with their endpoints: a second worker skips these rows (PostgreSQL) instead of
        # sending them twice, and leaves a busy endpoint alone, so its failure streak is counted by one worker.
        batch = list(
            due_deliveries(now=now)
            .select_for_update(of=("self", "endpoint"), **skip_locked())
            .select_related("endpoint", "change")
            .order_by("change_id", "pk")[:batch_size]
        )
        failed_endpoints: set[int] = set()
        attempted: list[WebhookDelivery] = []
        endpoints: dict[int, WebhookEndpoint] = {}
        secrets_by_endpoint: dict[int, str] = {}
        for delivery in batch:
            endpoint = endpoints.setdefault(delivery.endpoint_id, delivery.endpoint)
            if endpoint.pk in failed_endpoints:
                outcome["waiting"] += 1
                continue
            if endpoint.pk not in secrets_by_endpoint:
                secrets_by_endpoint[endpoint.pk] = secret_of(endpoint)
            attempt_at = timezone.now()
            attempted.append(delivery)
            delivery.attempts += 1
            delivery.last_attempt_at = attempt_at
            try:
                delivery.last_status_code = post(
                    endpoint=endpoint, delivery=delivery, secret=secrets_by_endpoint[endpoint.pk]
                )
            except Failed as exc:
                failed_endpoints.add(endpoint.pk)
                delivery.last_status_code = exc.status
                delivery.last_error = str(exc)[:2000]
                delivery.next_attempt_at = now + timedelta(seconds=backoff_delay(attempts=delivery.attempts))
                endpoint.failure_streak += 1
                endpoint.last_failure_at = attempt_at
                endpoint.last_error = delivery.last_error
                endpoint.next_attempt_at = now + timedelta(seconds=backoff_delay(attempts=endpoint.failure_streak))
                if endpoint.failure_streak >= settings.WEBHOOK_DISABLE_AFTER_FAILURES and endpoint.disabled_at is None:
                    endpoint.disabled_at = attempt_at
                    disabled.append(endpoint)
                outcome["failed"] += 1
            else:
                delivery.status = Status.DELIVERED
                delivery.delivered_at = attempt_at
                delivery.last_error = ""
                endpoint.failure_streak = 0
                endpoint.last_success_at = attempt_at
                outcome["delivered"] += 1
        WebhookDelivery.objects.bulk_update(
            attempted,
            [
                "status",
                "attempts",
                "last_attempt_at",
                "next_attempt_at",
                "delivered_at",
                "last_status_code",
                "last_error",
            ],
        )
        WebhookEndpoint.objects.bulk_update(
            list(endpoints.values()),
            ["failure_streak", "last_failure_at", "last_success_at", "last_error", "next_attempt_at", "disabled_at"],
        )
        for endpoint in disabled:
            audit.record(endpoint, action="webhook_disabled", detail={"failure_streak": endpoint.failure_streak})
            transaction.on_commit(lambda endpoint=endpoint: _tell_owner_disabled(endpoint), robust=True)
    return dict(outcome)


def drain(*, time_budget_seconds: float | None = None, now: datetime | None = None) -> dict[str, int]:
    """Send batches until nothing is due or sendable, or the time budget is used."""
    budget = time_budget_seconds if time_budget_seconds is not None else settings.WEBHOOK_DRAIN_SECONDS
    started = time.monotonic()
    total: Counter[str] = Counter()
    while True:
        outcome = send_due_deliveries(now=now)
        total.update(outcome)
        if not outcome.get("delivered") or time.monotonic() - started >= budget:
            return dict(total)


def _tell_owner_disabled(endpoint: WebhookEndpoint) -> None:
    """Mail and notify the owner that the endpoint was switched off after its failure streak."""
    owner = endpoint.owner
    message = _(
        "推送地址 %(url)s 连续 %(count)s 次推送失败，已自动停用。最近错误：%(error)s "
        "待推送的变化会保留，修复接收方后请在平台上重新启用该地址。"
    ) % {"url": endpoint.url, "count": endpoint.failure_streak, "error": endpoint.last_error}
    link = reverse("watch-webhook", args=[endpoint.pk])
    notify_users(
        [owner.pk],
        kind="webhook_disabled",
        message=message,
        link=link,
        dedupe_key=f"webhook-disabled:{endpoint.pk}:{endpoint.disabled_at:%Y%m%d%H%M%S}",
    )
    if owner.email:
        send_mail(
            _("【%(portal)s】推送地址已自动停用") % {"portal": settings.PORTAL_NAME},
            message,
            None,
            [owner.email],
        )
