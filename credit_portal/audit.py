"""The audit trail: every service writes one row per state change, in the same transaction (STYLE §2.3)."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import AuditEvent


def _client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


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
    rows = [
        AuditEvent(actor=actor, action=action, content_type=content_type, object_id=str(pk), detail=detail or {})
        for pk in ids
    ]
    AuditEvent.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
