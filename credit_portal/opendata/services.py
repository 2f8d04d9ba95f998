"""Writes of the open-data app: the change feed's sync (outbox, objections, grades) and the daily export (issue 12)."""

from __future__ import annotations

import datetime
import hashlib
import heapq
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from itertools import takewhile
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from credit_portal.exchange.models import OutboxEvent

from . import exports, sources
from .choices import ChangeAction, ChangeKind, ChangeSource
from .models import ChangeEvent, FeedSyncState

SYNC_BATCH = 5000

# Payload keys a change summary may carry, per kind: a whitelist, so nothing personal slips in (DOMAIN §10).
RECORD_SUMMARY_KEYS = (
    "subject_name",
    "subject_category",
    "uscc",
    "document_number",
    "decision_date",
    "authority_name",
    "source_department_name",
    "status",
    "version",
)
LIST_SUMMARY_KEYS = (
    "subject_name",
    "subject_category",
    "uscc",
    "list_type",
    "list_type_name",
    "list_color",
    "decision_document_number",
    "decision_date",
    "valid_from",
    "valid_to",
    "source_department",
    "status",
    "removal_reason",
)
RECORD_ACTIONS = {
    "withdrawn": ChangeAction.WITHDRAWN,
    "expired": ChangeAction.EXPIRED,
    "stopped_by_repair": ChangeAction.REPAIRED,
}
REMOVAL_ACTIONS = {"expired": ChangeAction.EXPIRED, "repaired": ChangeAction.REPAIRED}


def _summary(kind: str, payload: dict) -> dict:
    """The public part of an outbox payload: whitelisted keys, a natural person's name masked, no code."""
    keys = LIST_SUMMARY_KEYS if kind == ChangeKind.LIST_ENTRY else RECORD_SUMMARY_KEYS
    summary = {key: payload.get(key) for key in keys if key in payload}
    sources.deidentify(summary)  # a person's "code" field may hold an ID number in feeds from other systems
    return summary


def _action(kind: str, payload: dict, *, listed_before: bool) -> str | None:
    """The public action an outbox event stands for, or None when the public never saw it (drafts, internal)."""
    status = payload.get("status")
    if kind == ChangeKind.LIST_ENTRY:
        if status == "published":
            return ChangeAction.CORRECTED if listed_before else ChangeAction.LISTED
        if status == "removed":
            return REMOVAL_ACTIONS.get(payload.get("removal_reason") or "", ChangeAction.REMOVED)
        return None
    if payload.get("info_scope", "public") != "public":
        return None  # 内部共享 / 授权查询 records never reach the public (DOMAIN §3)
    if status == "published":
        return ChangeAction.CORRECTED if (payload.get("version") or 1) > 1 else ChangeAction.PUBLISHED
    return RECORD_ACTIONS.get(status)


def _state() -> FeedSyncState:
    FeedSyncState.objects.get_or_create(pk=1)
    return FeedSyncState.objects.select_for_update().get(pk=1)


@dataclass
class _Source:
    """One table the feed reads by id: its cursor field on FeedSyncState, its reader and its event builder."""

    cursor: str
    read: Callable[[int], list[dict]]
    build: Callable[[list[dict]], list[ChangeEvent | None]]
    rows: list[dict] = field(default_factory=list)
    has_more: bool = False


@transaction.atomic
def sync_changes(*, now: datetime.datetime | None = None) -> int:
    """Turn new outbox events, objection steps and grade changes into public change events; safe to run twice.

    Locking: the sync-state row is locked for the whole run, so only one sync writes at a time and change ids
    commit in id order (no gaps for readers paging by cursor). Each source is read by id with its own cursor, and
    only up to a point where every lower id has committed: outbox events and objection steps (short transactions)
    up to the first one younger than OPENDATA_SYNC_LAG_SECONDS, the grade history also up to the watermark of
    ``sources.grade_watermark``. The sources are merged by the time of the change, each in its own id order, so an
    objection closed after its record was corrected follows the correction. The unique (source, source id) makes
    a repeat harmless.
    """
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.OPENDATA_SYNC_LAG_SECONDS)
    state = _state()
    upto = sources.grade_watermark()
    feeds = [
        _Source("last_event_id", _outbox_rows, _outbox_events),
        _Source("last_objection_step_id", _objection_rows, sources.objection_events),
        _Source("last_grade_history_id", partial(_grade_rows, upto=upto), sources.grade_events),
    ]
    created = 0
    while True:
        for feed in feeds:
            fetched = feed.read(getattr(state, feed.cursor))
            feed.rows = list(takewhile(lambda row: row["at"] <= cutoff, fetched))
            feed.has_more = len(fetched) == SYNC_BATCH and len(feed.rows) == len(fetched)
        if not any(feed.rows for feed in feeds):
            break
        taken = _take(feeds)
        events = heapq.merge(
            *(
                [event for event in feed.build(rows) if event is not None]
                for feed, rows in zip(feeds, taken, strict=True)
            ),
            key=lambda event: event.occurred_at,
        )
        rows = list(events)
        ChangeEvent.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
        created += len(rows)
        for feed, rows in zip(feeds, taken, strict=True):
            if rows:
                setattr(state, feed.cursor, rows[-1]["pk"])
        if not any(feed.has_more for feed in feeds):
            break
    state.synced_at = now
    state.save(update_fields=["last_event_id", "last_objection_step_id", "last_grade_history_id", "synced_at"])
    return created


def _take(feeds: list[_Source]) -> list[list[dict]]:
    """The rows of this round: while a source has more than a batch, the others wait for its time to catch up.

    Each source's rows are taken as a prefix (its cursor moves past them), up to the time of the last row of the
    least advanced full batch; if that leaves nothing, the full batches are taken whole, so every round progresses.
    """
    horizons = [feed.rows[-1]["at"] for feed in feeds if feed.has_more]
    if not horizons:
        return [feed.rows for feed in feeds]
    horizon = min(horizons)
    taken = [list(takewhile(lambda row: row["at"] <= horizon, feed.rows)) for feed in feeds]
    if any(taken):
        return taken
    return [feed.rows if feed.has_more else [] for feed in feeds]


def _outbox_rows(after: int) -> list[dict]:
    return list(
        OutboxEvent.objects.filter(pk__gt=after)
        .order_by("pk")
        .values("pk", "kind", "object_id", "payload", at=F("created_at"))[:SYNC_BATCH]
    )


def _objection_rows(after: int) -> list[dict]:
    return sources.objection_steps(after=after, limit=SYNC_BATCH)


def _grade_rows(after: int, *, upto: int | None) -> list[dict]:
    return sources.grade_history(after=after, limit=SYNC_BATCH, upto=upto)


def _outbox_events(events: list[dict]) -> list[ChangeEvent | None]:
    """The change each outbox event stands for; a list entry published twice (a correction) is 'corrected'."""
    entry_ids = {e["object_id"] for e in events if e["kind"] == ChangeKind.LIST_ENTRY}
    listed = set(
        ChangeEvent.objects.filter(
            kind=ChangeKind.LIST_ENTRY, object_id__in=entry_ids, action=ChangeAction.LISTED
        ).values_list("object_id", flat=True)
    )
    rows: list[ChangeEvent | None] = []
    for event in events:
        kind, payload = event["kind"], event["payload"] or {}
        action = _action(kind, payload, listed_before=event["object_id"] in listed)
        if action is None:
            rows.append(None)
            continue
        if action == ChangeAction.LISTED:
            listed.add(event["object_id"])
        summary = _summary(kind, payload)
        rows.append(
            ChangeEvent(
                source=ChangeSource.OUTBOX,
                source_event_id=event["pk"],
                occurred_at=event["at"],
                kind=kind,
                action=action,
                object_id=event["object_id"],
                uscc=summary.get("uscc") or "",
                summary=summary,
            )
        )
    return rows


# --- open-data export ------------------------------------------------------------------------------------------


def opendata_root() -> Path:
    return Path(settings.OPENDATA_ROOT)


def export_open_data(*, day: datetime.date | None = None) -> dict:
    """Write the dated snapshot (csv + JSON Lines per dataset), the day's delta and a manifest; returns the manifest.

    Written to a temporary folder and renamed at the end, so a download never sees half a snapshot.
    """
    day = day or timezone.localdate()
    sync_changes()
    root = opendata_root()
    target = root / day.isoformat()
    work = root / f".{day.isoformat()}.tmp"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    files = []
    for dataset in exports.DATASETS:
        for fmt in ("csv", "jsonl"):
            name = f"{dataset.name}.{fmt}"
            rows = exports.write(work / name, dataset=dataset, fmt=fmt, day=day)
            files.append(_file_entry(work / name, dataset=dataset.name, fmt=fmt, rows=rows))
    manifest = {
        "date": day.isoformat(),
        "generated_at": timezone.now().isoformat(),
        "files": files,
    }
    (work / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    shutil.rmtree(target, ignore_errors=True)
    work.rename(target)
    return manifest


def _file_entry(path: Path, *, dataset: str, fmt: str, rows: int) -> dict:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return {
        "name": path.name,
        "dataset": dataset,
        "format": fmt,
        "rows": rows,
        "bytes": path.stat().st_size,
        "sha256": digest.hexdigest(),
    }
