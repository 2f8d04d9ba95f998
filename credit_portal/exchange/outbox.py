"""Writing outbox events: called by services inside their transaction (DOMAIN §12, STYLE §2.3).

A model that goes upstream declares ``upstream_kind`` (an ``OutboxEvent.Kind``), an instance method
``upstream_payload() -> dict`` (national standard field names, no personal data beyond what the standard
shares) and a classmethod ``upstream_payloads(ids) -> dict[int, dict]`` that builds many payloads in one query.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from celery import current_app

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction

from .models import OutboxEvent

Action = OutboxEvent.Action
PUSH_TASK = "credit_portal.exchange.tasks.push_outbox"


def _new_key() -> str:
    return uuid.uuid4().hex


def enqueue(obj: models.Model, *, action: str) -> OutboxEvent:
    """One event for one changed object, in the caller's transaction; the push is kicked after commit."""
    event = OutboxEvent.objects.create(
        kind=obj.upstream_kind,
        action=action,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        department_id=getattr(obj, "department_id", None),
        payload=obj.upstream_payload(),
        idempotency_key=_new_key(),
    )
    kick()
    return event


def enqueue_many(model: type[models.Model], ids: Iterable[int], *, action: str) -> int:
    """Events for a batch job's rows: one query for the payloads, one INSERT for the events."""
    ids = list(ids)
    if not ids:
        return 0
    payloads = model.upstream_payloads(ids)
    content_type = ContentType.objects.get_for_model(model)
    departments = _departments_of(model, ids)
    events = [
        OutboxEvent(
            kind=model.upstream_kind,
            action=action,
            content_type=content_type,
            object_id=pk,
            department_id=departments.get(pk),
            payload=payloads[pk],
            idempotency_key=_new_key(),
        )
        for pk in ids
        if pk in payloads
    ]
    OutboxEvent.objects.bulk_create(events, batch_size=2000)
    kick()
    return len(events)


def _departments_of(model: type[models.Model], ids: list[int]) -> dict[int, int | None]:
    """Source departments of a batch's rows, in one query, for models that have one."""
    try:
        model._meta.get_field("department")
    except FieldDoesNotExist:
        return {}
    return dict(model._default_manager.filter(pk__in=ids).values_list("pk", "department_id"))


def kick() -> None:
    """Ask a worker to drain the outbox once the transaction commits.

    Only with a real broker: in the embedded default (eager Celery) the job loop drains the outbox every 30 s,
    so a request never waits on the upstream.
    """
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return
    transaction.on_commit(lambda: current_app.send_task(PUSH_TASK), robust=True)
