"""The outbox relay: delivery, retries, rejections, resend and reconciliation (DOMAIN §12)."""

from __future__ import annotations

import random
import time
from collections import Counter, defaultdict
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from credit_portal import access, audit
from credit_portal.db import skip_locked
from credit_portal.errors import DomainError
from credit_portal.notifications import notify_users

from . import outbox, upstream
from .models import OutboxEvent, ReconciliationReport

Status = OutboxEvent.Status

# 2**60 times any sensible base is far beyond the cap; the bound only keeps the float arithmetic finite.
MAX_EXPONENT = 60


class EventNotResendable(DomainError):
    code = "event_not_resendable"
    default_message = gettext_lazy("只有被退回或放弃重试的报送事件可以重新发送。")


class EventSuperseded(DomainError):
    code = "event_superseded"
    default_message = gettext_lazy("该对象已有更新的报送事件送达上游，重新发送旧事件会覆盖新数据。")


def backoff_delay(*, attempts: int, rng: random.Random | None = None) -> float:
    """Seconds to wait after the ``attempts``-th failure: exponential, capped, with jitter."""
    exponent = min(max(attempts - 1, 0), MAX_EXPONENT)
    ceiling = min(settings.UPSTREAM_BACKOFF_MAX_SECONDS, settings.UPSTREAM_BACKOFF_BASE_SECONDS * 2**exponent)
    # "Equal jitter": half the delay is fixed and half random, so the events of one failed batch spread out
    # (no thundering herd when the upstream comes back) yet never come back at once.
    return ceiling / 2 + (rng or random).uniform(0, ceiling / 2)


def due_events(*, now: datetime) -> QuerySet[OutboxEvent]:
    """Pending events whose time has come and that no older pending event of the same object holds back."""
    # DOMAIN §12: an object's events reach the upstream in the order they were written (a withdrawal never
    # overtakes the upsert it withdraws), so an event waits while an older one of its object is undelivered.
    older_pending = OutboxEvent.objects.filter(
        content_type=OuterRef("content_type"),
        object_id=OuterRef("object_id"),
        status=Status.PENDING,
        pk__lt=OuterRef("pk"),
    )
    return OutboxEvent.objects.filter(status=Status.PENDING, next_attempt_at__lte=now).filter(~Exists(older_pending))


def push_due_events(*, batch_size: int) -> dict[str, int]:
    """Send one batch of due events upstream; safe with several workers at once."""
    outcome: Counter[str] = Counter()
    with transaction.atomic():
        # The rows stay locked while the request is in flight, so no other worker sends them too; with
        # SKIP LOCKED (PostgreSQL) a second worker takes the next due rows instead of waiting.
        batch = list(due_events(now=timezone.now()).select_for_update(**skip_locked()).order_by("pk")[:batch_size])
        if not batch:
            return dict(outcome)
        outcome["sent"] = len(batch)
        try:
            results = upstream.post_records(batch)
        except upstream.Unavailable as exc:  # 429, 5xx, time-out, dropped connection: the whole batch waits
            outcome.update(schedule_retry(batch, error=str(exc), retry_after=exc.retry_after))
            return dict(outcome)
        outcome.update(apply_results(batch, results))
    return dict(outcome)


def drain_outbox(*, batch_size: int, time_budget_seconds: float) -> dict[str, int]:
    """Push batches until nothing is due, the upstream fails, or the time budget is used."""
    started = time.monotonic()
    total: Counter[str] = Counter()
    while True:
        outcome = push_due_events(batch_size=batch_size)
        total.update(outcome)
        answered = outcome.get("accepted", 0) + outcome.get("duplicate", 0) + outcome.get("rejected", 0)
        # A failed request means the upstream is unwell: the backoff decides when to try again, not this loop.
        if not answered or time.monotonic() - started >= time_budget_seconds:
            return dict(total)


def schedule_retry(batch: list[OutboxEvent], *, error: str, retry_after: float | None = None) -> dict[str, int]:
    """Count a failed attempt for each event: retry later with backoff, or give up after the maximum."""
    now = timezone.now()
    outcome: Counter[str] = Counter()
    for event in batch:
        event.attempts += 1
        event.last_attempt_at = now
        outcome[_fail(event, error=error, now=now, retry_after=retry_after)] += 1
    _save_outcomes(batch, ["status", "attempts", "last_attempt_at", "next_attempt_at", "last_error"])
    _notify_dead([event for event in batch if event.status == Status.DEAD])
    return dict(outcome)


def _save_outcomes(batch: list[OutboxEvent], fields: list[str]) -> None:
    """Write a batch's per-event outcomes in one statement.

    Each row gets its own values (upstream id, jittered next attempt), which ``bulk_update`` would spell as one
    CASE per field and row: most of a push's time. An INSERT ... ON CONFLICT (id) DO UPDATE of the locked rows,
    which all exist, writes them at once on PostgreSQL and SQLite alike.
    """
    OutboxEvent.objects.bulk_create(batch, update_conflicts=True, unique_fields=["id"], update_fields=fields)


def _fail(event: OutboxEvent, *, error: str, now: datetime, retry_after: float | None) -> str:
    event.last_error = error[:2000]
    if event.attempts >= settings.UPSTREAM_MAX_ATTEMPTS:
        # Never dropped: a dead event stays on the ops page until an administrator resends it.
        event.status = Status.DEAD
        return "dead"
    # The upstream's Retry-After is honoured, but never beyond the backoff cap: a bogus header cannot park events.
    delay = max(backoff_delay(attempts=event.attempts), min(retry_after or 0, settings.UPSTREAM_BACKOFF_MAX_SECONDS))
    event.next_attempt_at = now + timedelta(seconds=delay)
    return "retried"


def apply_results(batch: list[OutboxEvent], results: dict[str, upstream.Result]) -> dict[str, int]:
    """Record the upstream's verdict per event: accepted and duplicate are delivered, rejected is final."""
    now = timezone.now()
    outcome: Counter[str] = Counter()
    rejected = []
    for event in batch:
        event.attempts += 1
        event.last_attempt_at = now
        result = results.get(event.idempotency_key)
        if result is None:  # the answer left this record out: try it again like a failed request
            outcome[_fail(event, error=_("上游应答中缺少该记录的结果。"), now=now, retry_after=None)] += 1
        elif result.status in ("accepted", "duplicate"):
            # DOMAIN §12: "duplicate" means an earlier attempt arrived but its answer was lost.
            event.status = Status.DELIVERED
            event.delivered_at = now
            event.upstream_id = result.upstream_id[:100]
            event.last_error = ""
            outcome[result.status] += 1
        else:
            event.status = Status.REJECTED
            event.last_error = result.message or _("上游平台退回了该记录，未说明原因。")
            rejected.append(event)
            outcome["rejected"] += 1
    _resolve_departments(rejected)
    _save_outcomes(
        batch,
        ["status", "attempts", "last_attempt_at", "next_attempt_at", "delivered_at", "upstream_id", "last_error"]
        + (["department"] if rejected else []),
    )
    _notify_rejected(rejected)
    _notify_dead([event for event in batch if event.status == Status.DEAD])
    return dict(outcome)


def _resolve_departments(events: list[OutboxEvent]) -> None:
    """Fill in the source department of events written without one, from their objects."""
    missing: dict[int, list[OutboxEvent]] = defaultdict(list)
    for event in events:
        if event.department_id is None:
            missing[event.content_type_id].append(event)
    for content_type_id, group in missing.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:
            continue
        try:
            model._meta.get_field("department")
        except FieldDoesNotExist:
            continue
        departments = dict(
            model._default_manager.filter(pk__in=[event.object_id for event in group]).values_list(
                "pk", "department_id"
            )
        )
        for event in group:
            event.department_id = departments.get(event.object_id)


def _notify_rejected(events: list[OutboxEvent]) -> None:
    """Tell the source department's clerks what the upstream refused and why, so they correct it."""
    by_department: dict[int, list[OutboxEvent]] = defaultdict(list)
    for event in events:
        if event.department_id is not None:
            by_department[event.department_id].append(event)
    if not by_department:
        return
    clerks = defaultdict(list)
    rows = (
        get_user_model()
        .objects.filter(
            department_id__in=by_department,
            is_active=True,
            groups__name=access.GROUP_NAMES[access.Role.CLERK],
        )
        .values_list("department_id", "pk")
    )
    for department_id, user_id in rows:
        clerks[department_id].append(user_id)
    link = reverse("ops-rejected")
    for department_id, group in by_department.items():
        for event in group:
            message = _("报送上游平台被退回：%(kind)s（编号 %(object_id)s）。上游意见：%(message)s 请更正记录。") % {
                "kind": OutboxEvent.Kind(event.kind).label,
                "object_id": event.object_id,
                "message": event.last_error,
            }
            notify_users(
                clerks[department_id],
                kind="upstream_rejected",
                message=message,
                link=link,
                dedupe_key=f"upstream-rejected:{event.pk}:{event.attempts}",
            )


def _notify_dead(events: list[OutboxEvent]) -> None:
    """Tell the administrators that events stopped retrying and wait on the ops page."""
    if not events:
        return
    admins = (
        get_user_model()
        .objects.filter(Q(is_superuser=True) | Q(groups__name=access.GROUP_NAMES[access.Role.ADMIN]), is_active=True)
        .values_list("pk", flat=True)
        .distinct()
    )
    notify_users(
        list(admins),
        kind="upstream_dead",
        message=_("%(count)s 条报送事件重试 %(attempts)s 次仍失败，已停止重试。最近错误：%(error)s")
        % {"count": len(events), "attempts": events[0].attempts, "error": events[0].last_error},
        link=reverse("ops"),
        dedupe_key=f"upstream-dead:{min(event.pk for event in events)}:{events[0].attempts}",
    )


def _later_delivered(event: OutboxEvent) -> QuerySet[OutboxEvent]:
    return OutboxEvent.objects.filter(
        content_type_id=event.content_type_id,
        object_id=event.object_id,
        status=Status.DELIVERED,
        pk__gt=event.pk,
    )


@transaction.atomic
def resend_event(*, event: OutboxEvent, by, request=None) -> OutboxEvent:
    """Put a dead or rejected event back in the queue with fresh attempts; the key stays the same."""
    access.require_role(by, access.Role.ADMIN)
    event = OutboxEvent.objects.select_for_update().get(pk=event.pk)
    if event.status not in (Status.DEAD, Status.REJECTED):
        raise EventNotResendable()
    if _later_delivered(event).exists():
        raise EventSuperseded()
    previous = {"status": event.status, "attempts": event.attempts, "last_error": event.last_error}
    event.status = Status.PENDING
    event.attempts = 0
    event.next_attempt_at = timezone.now()
    event.last_error = ""
    event.save(update_fields=["status", "attempts", "next_attempt_at", "last_error"])
    audit.record(event, action="upstream_resent", by=by, detail=previous, request=request)
    outbox.kick()
    return event


def expected_upstream(model) -> QuerySet | None:
    """The objects of an upstream model that the upstream should hold, if the model says which they are.

    A model declares ``upstream_expected()`` (a classmethod returning a queryset); failing that, its manager's
    ``public()`` (published and publishable) is used.
    """
    declared = getattr(model, "upstream_expected", None)
    if callable(declared):
        return declared()
    public = getattr(model._default_manager, "public", None)
    return public() if callable(public) else None


def upstream_models() -> list:
    """Every installed model that goes upstream: it declares ``upstream_kind`` (see ``outbox``)."""
    return [model for model in apps.get_models() if getattr(model, "upstream_kind", None)]


def reconcile_upstream(*, now: datetime, stale_after: timedelta = timedelta(hours=24)) -> ReconciliationReport:
    """Compare, per object kind, the events delivered with what should have gone upstream; store the report."""
    models_by_type = {ContentType.objects.get_for_model(model).pk: model for model in upstream_models()}
    # Kinds whose model no longer declares itself (or never did) still have events that must be accounted for.
    with_events = OutboxEvent.objects.order_by().values_list("content_type", flat=True).distinct()
    for content_type_id in with_events:
        models_by_type.setdefault(content_type_id, ContentType.objects.get_for_id(content_type_id).model_class())
    kinds = [
        _reconcile_kind(content_type_id=content_type_id, model=model, now=now, stale_after=stale_after)
        for content_type_id, model in sorted(models_by_type.items())
    ]
    is_clean = not any(entry["gaps"] for entry in kinds)
    report = {"generated_at": now.isoformat(), "kinds": kinds}
    return ReconciliationReport.objects.create(is_clean=is_clean, report=report)


def _reconcile_kind(*, content_type_id: int, model, now: datetime, stale_after: timedelta) -> dict:
    """One kind's figures: events by status, and the gaps (undelivered, dead, uncorrected, never written)."""
    events = OutboxEvent.objects.filter(content_type_id=content_type_id)
    counts = dict(events.order_by().values_list("status").annotate(n=Count("pk")))
    open_rejected = events.filter(status=Status.REJECTED).filter(
        ~Exists(
            OutboxEvent.objects.filter(
                content_type_id=content_type_id,
                object_id=OuterRef("object_id"),
                status=Status.DELIVERED,
                pk__gt=OuterRef("pk"),
            )
        )
    )
    kinds = sorted(set(events.order_by().values_list("kind", flat=True).distinct()))
    entry = {
        "kind": str(getattr(model, "upstream_kind", "") or ",".join(kinds)),
        "model": model._meta.label if model is not None else str(content_type_id),
        "events": {status: counts.get(status, 0) for status in Status.values},
        "written": sum(counts.values()),
        "stale_pending": events.filter(status=Status.PENDING, created_at__lt=now - stale_after).count(),
        "open_rejected": open_rejected.count(),
    }
    expected = expected_upstream(model) if model is not None and getattr(model, "upstream_kind", None) else None
    if expected is not None:
        any_event = OutboxEvent.objects.filter(content_type_id=content_type_id, object_id=OuterRef("pk"))
        delivered_upsert = any_event.filter(action=OutboxEvent.Action.UPSERT, status=Status.DELIVERED)
        without_event = expected.filter(~Exists(any_event))
        entry["expected"] = expected.count()
        entry["without_event"] = without_event.count()
        entry["without_event_sample"] = list(without_event.order_by("pk").values_list("pk", flat=True)[:20])
        entry["not_delivered"] = expected.filter(~Exists(delivered_upsert)).count()
    entry["gaps"] = (
        entry["events"][Status.DEAD] + entry["stale_pending"] + entry["open_rejected"] + entry.get("without_event", 0)
    )
    return entry
