"""The audit trail: every service writes one row per state change, in the same transaction (STYLE §2.3)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.utils import timezone

from .models import AuditEvent


def _client_ip(request) -> str | None:
    if request is None:
        return None
    from .ratelimit import client_address  # behind a proxy, the client's address rather than the proxy's

    return client_address(request)


def record(obj: models.Model | None, *, action: str, by=None, detail: dict | None = None, request=None) -> AuditEvent:
    """Write one audit row about ``obj`` (or about nothing in particular when obj is None)."""
    actor = by if by is not None and getattr(by, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        detail=detail or {},
        ip_address=_client_ip(request),
    )


def record_many(model: type[models.Model], ids: Iterable[int], *, action: str, by=None, detail=None) -> int:
    """One INSERT for a batch job's rows."""
    content_type = ContentType.objects.get_for_model(model)
    actor = by if by is not None and getattr(by, "is_authenticated", False) else None
    if connection.vendor == "postgresql":
        # One INSERT … SELECT over an array of ids: no model instance per row (issue 10: imports, expiry jobs).
        object_ids = [str(pk) for pk in ids]
        if object_ids:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {connection.ops.quote_name(AuditEvent._meta.db_table)} "
                    "(at, actor_id, action, content_type_id, object_id, object_repr, detail) "
                    "SELECT %s, %s, %s, %s, object_id, '', %s::jsonb FROM unnest(%s::text[]) AS object_id",
                    [
                        timezone.now(),
                        actor.pk if actor is not None else None,
                        action,
                        content_type.pk,
                        json.dumps(detail or {}),
                        object_ids,
                    ],
                )
        return len(object_ids)
    rows = [
        AuditEvent(actor=actor, action=action, content_type=content_type, object_id=str(pk), detail=detail or {})
        for pk in ids
    ]
    AuditEvent.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


# --- Staff logins (issue 9 §2): who, when, from where; failures too, with the name that was tried. ------------------
def _user_agent(request) -> str:
    return (request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[:200]


def _login_succeeded(sender, request, user, **kwargs) -> None:
    record(user, action="login", by=user, detail={"user_agent": _user_agent(request)}, request=request)


def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    # Django has already removed the password from ``credentials``; only the name tried is kept.
    username = str((credentials or {}).get("username", ""))[:150]
    record(
        None, action="login_failed", detail={"username": username, "user_agent": _user_agent(request)}, request=request
    )


def _logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        record(user, action="logout", by=user, request=request)


def connect_login_signals() -> None:
    """Called from CreditPortalConfig.ready()."""
    from django.contrib.auth import signals

    signals.user_logged_in.connect(_login_succeeded, dispatch_uid="credit_portal.audit.login")
    signals.user_login_failed.connect(_login_failed, dispatch_uid="credit_portal.audit.login_failed")
    signals.user_logged_out.connect(_logged_out, dispatch_uid="credit_portal.audit.logout")
