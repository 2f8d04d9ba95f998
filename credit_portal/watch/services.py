"""Writes of the watch app: watchlists and their codes, the matching job and the daily email digest (issue 12).

Webhook sending lives in ``webhooks.py``.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from typing import IO

from celery import current_app

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from credit_portal import audit
from credit_portal.errors import DomainError, NotFound
from credit_portal.notifications import notify_users
from credit_portal.opendata.choices import ChangeAction, ChangeKind
from credit_portal.opendata.models import ChangeEvent
from registry import codes

from . import uploads
from .models import MatchCursor, WatchedSubject, Watchlist, WatchMatch, WebhookDelivery, WebhookEndpoint

logger = logging.getLogger(__name__)
SEND_TASK = "credit_portal.watch.tasks.send_webhooks"


class WatchError(DomainError):
    code = "watch_error"


class DuplicateCode(WatchError):
    code = "duplicate_code"
    default_message = gettext_lazy("该代码已在清单中。")


class TooManyCodes(WatchError):
    code = "too_many_codes"


# --- watchlists --------------------------------------------------------------------------------------------------


def _own_list(watchlist: Watchlist | int, by) -> Watchlist:
    """The user's own list, locked; anyone else's is "not found" (STYLE §2.5)."""
    pk = watchlist.pk if isinstance(watchlist, Watchlist) else watchlist
    found = Watchlist.objects.owned_by(by).select_for_update().filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


def _clean(watchlist: Watchlist) -> None:
    """full_clean(), its first problem as a WatchError (a blank or repeated name)."""
    try:
        watchlist.full_clean()
    except ValidationError as error:
        detail = getattr(error, "error_dict", {})
        items = [item for items in detail.values() for item in items] or error.error_list
        first = items[0]
        raise WatchError(" ".join(first.messages), code=first.code or "invalid", field="name") from None


@transaction.atomic
def create_watchlist(*, owner, name: str) -> Watchlist:
    """A new, empty watchlist of the user."""
    watchlist = Watchlist(owner=owner, name=(name or "").strip())
    _clean(watchlist)
    watchlist.save()
    audit.record(watchlist, action="watchlist_created", by=owner)
    return watchlist


@transaction.atomic
def rename_watchlist(*, watchlist: Watchlist, by, name: str) -> Watchlist:
    """Give the user's list another name."""
    watchlist = _own_list(watchlist, by)
    watchlist.name = (name or "").strip()
    _clean(watchlist)
    watchlist.save(update_fields=["name", "updated_at"])
    return watchlist


@transaction.atomic
def delete_watchlist(*, watchlist: Watchlist, by) -> None:
    """Delete the user's list and its codes; matches already made stay in the user's change list."""
    watchlist = _own_list(watchlist, by)
    audit.record(watchlist, action="watchlist_deleted", by=by, detail={"codes": watchlist.subjects.count()})
    watchlist.delete()


def _check_code(value: str) -> tuple[str, list[str]]:
    """The normalised code and, when it is not a valid code, why (registry.codes, DOMAIN §2)."""
    code = codes.normalise(value)
    if codes.is_valid_uscc(code):
        return code, []
    return code, [error.message for error in codes.validate_uscc(value).errors] or [_("不是有效的统一社会信用代码。")]


@transaction.atomic
def add_code(*, watchlist: Watchlist, by, code: str) -> WatchedSubject:
    """Watch one more subject, by its unified social credit code."""
    watchlist = _own_list(watchlist, by)
    normalised, problems = _check_code(code)
    if problems:
        raise WatchError(pgettext("list separator", "；").join(problems), code="invalid_code", field="uscc")
    if watchlist.subjects.filter(uscc=normalised).exists():
        raise DuplicateCode(field="uscc")
    watched = WatchedSubject.objects.create(watchlist=watchlist, uscc=normalised)
    watchlist.save(update_fields=["updated_at"])
    return watched


@transaction.atomic
def remove_codes(*, watchlist: Watchlist, by, codes_to_remove: list[str]) -> int:
    """Stop watching the given codes on this list; returns how many were on it."""
    watchlist = _own_list(watchlist, by)
    wanted = {codes.normalise(value) for value in codes_to_remove if value}
    removed, _detail = watchlist.subjects.filter(uscc__in=wanted).delete()
    watchlist.save(update_fields=["updated_at"])
    return removed


@dataclass
class UploadReport:
    """What an upload did: rows read, codes added, repeats ignored, and each invalid row with its reason."""

    rows: int = 0
    added: int = 0
    duplicates: int = 0
    invalid: list[dict] = field(default_factory=list)  # {"row", "value", "message"}

    def as_dict(self) -> dict:
        return {"rows": self.rows, "added": self.added, "duplicates": self.duplicates, "invalid": self.invalid}


def upload_codes(*, watchlist: Watchlist, by, handle: IO[bytes], name: str) -> UploadReport:
    """Add the codes of a csv/xlsx file (up to WATCH_UPLOAD_MAX_CODES), set-based; invalid rows are reported.

    The file is read and checked before the transaction; the INSERT is one statement per 5,000 codes with
    ON CONFLICT DO NOTHING, so codes already on the list (or repeated in the file) are simply not added again.
    """
    limit = settings.WATCH_UPLOAD_MAX_CODES
    report = UploadReport()
    valid: dict[str, int] = {}
    for row, value in uploads.code_cells(handle, name=name):
        report.rows += 1
        if report.rows > limit:
            raise TooManyCodes(
                _("一个文件最多可包含 %(limit)s 个代码，请拆分后分批上传。") % {"limit": f"{limit:,}"}, field="file"
            )
        code, problems = _check_code(value)
        if problems:
            message = _("第%(row)s行：") % {"row": row} + pgettext("list separator", "；").join(problems)
            report.invalid.append({"row": row, "value": value[:40], "message": message})
        elif code in valid:
            report.duplicates += 1
        else:
            valid[code] = row
    if report.rows == 0:
        raise uploads.FileRejected(_("文件中没有统一社会信用代码。"), code="no_codes")
    with transaction.atomic():
        watchlist = _own_list(watchlist, by)
        before = watchlist.subjects.count()
        now = timezone.now()
        WatchedSubject.objects.bulk_create(
            [WatchedSubject(watchlist=watchlist, uscc=code, added_at=now) for code in valid],
            ignore_conflicts=True,
            batch_size=5000,
        )
        report.added = watchlist.subjects.count() - before
        report.duplicates += len(valid) - report.added
        watchlist.save(update_fields=["updated_at"])
        audit.record(
            watchlist,
            action="watchlist_uploaded",
            by=by,
            detail={"file": name[:100], "rows": report.rows, "added": report.added, "invalid": len(report.invalid)},
        )
    return report


# --- matching ----------------------------------------------------------------------------------------------------

MATCH_SQL = """
INSERT INTO {match} (owner_id, change_id, uscc, matched_at)
SELECT DISTINCT wl.owner_id, ce.id, ce.uscc, %s
FROM {change} ce
JOIN {watched} ws ON ws.uscc = ce.uscc
JOIN {watchlist} wl ON wl.id = ws.watchlist_id
WHERE ce.id > %s AND ce.id <= %s AND ce.uscc <> ''
ON CONFLICT (owner_id, change_id) DO NOTHING
"""

DELIVERY_SQL = """
INSERT INTO {delivery} (endpoint_id, change_id, uscc, status, attempts, next_attempt_at, last_error, created_at)
SELECT e.id, m.change_id, m.uscc, %s, 0, %s, '', %s
FROM {match} m
JOIN {endpoint} e ON e.owner_id = m.owner_id
WHERE m.change_id > %s AND m.change_id <= %s AND e.is_active
ON CONFLICT (endpoint_id, change_id) DO NOTHING
"""


def _tables() -> dict[str, str]:
    quote = connection.ops.quote_name
    return {
        "match": quote(WatchMatch._meta.db_table),
        "change": quote(ChangeEvent._meta.db_table),
        "watched": quote(WatchedSubject._meta.db_table),
        "watchlist": quote(Watchlist._meta.db_table),
        "delivery": quote(WebhookDelivery._meta.db_table),
        "endpoint": quote(WebhookEndpoint._meta.db_table),
    }


def _cursor() -> MatchCursor:
    MatchCursor.objects.get_or_create(pk=1)
    return MatchCursor.objects.select_for_update().get(pk=1)


def match_changes(*, now: datetime.datetime | None = None, batch_size: int | None = None) -> dict[str, int]:
    """Match new change events to watched subjects: matches, webhook deliveries and portal notifications.

    Set-based: per batch of change ids one INSERT ... SELECT joins the changes to every watchlist at once (DISTINCT
    owner: a subject on two lists of one owner gives one match), one more writes the deliveries of the owners'
    active endpoints. The cursor row is locked for the batch, so concurrent runs wait and never match twice; change
    ids become visible in id order (opendata.services.sync_changes), so reading by ``id > cursor`` skips nothing.
    """
    batch_size = batch_size or settings.WATCH_MATCH_BATCH_SIZE
    totals = {"changes": 0, "matches": 0, "deliveries": 0}
    while True:
        with transaction.atomic():
            state = _cursor()
            newest = ChangeEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            if newest <= state.last_change_id:
                break
            first, upto = state.last_change_id, min(newest, state.last_change_id + batch_size)
            outcome = _match_range(first=first, upto=upto, now=now or timezone.now())
            state.last_change_id = upto
            state.matched_at = now or timezone.now()
            state.save(update_fields=["last_change_id", "matched_at"])
        for key, value in outcome.items():
            totals[key] += value
    if totals["deliveries"] and not settings.CELERY_TASK_ALWAYS_EAGER:
        current_app.send_task(SEND_TASK)  # only a kick: beat runs the sender anyway
    return totals


def _match_range(*, first: int, upto: int, now: datetime.datetime) -> dict[str, int]:
    tables = _tables()
    with connection.cursor() as cursor:
        cursor.execute(MATCH_SQL.format(**tables), [now, first, upto])
        matches = max(cursor.rowcount, 0)
        deliveries = 0
        if matches:
            pending = WebhookDelivery.Status.PENDING
            cursor.execute(DELIVERY_SQL.format(**tables), [pending, now, now, first, upto])
            deliveries = max(cursor.rowcount, 0)
    if matches:
        _notify_watchers(first=first, upto=upto)
    return {
        "changes": ChangeEvent.objects.filter(pk__gt=first, pk__lte=upto).count(),
        "matches": matches,
        "deliveries": deliveries,
    }


def _notify_watchers(*, first: int, upto: int) -> None:
    """One portal notification per watcher and batch, saying how many changes touch their subjects."""
    per_owner = (
        WatchMatch.objects.filter(change_id__gt=first, change_id__lte=upto)
        .order_by()
        .values_list("owner_id")
        .annotate(n=Count("pk"))
    )
    by_count: dict[int, list[int]] = defaultdict(list)
    for owner_id, count in per_owner:
        by_count[count].append(owner_id)
    link = reverse("watch-changes")
    for count, owner_ids in by_count.items():
        notify_users(
            owner_ids,
            kind="watch_changes",
            message=_("您关注的主体有 %(count)s 条新的公开变化。") % {"count": count},
            link=link,
            dedupe_key=f"watch-changes:{first}-{upto}",
        )


# --- daily email digest ------------------------------------------------------------------------------------------


def describe(change: ChangeEvent) -> str:
    """One line about a change, from its public summary only (DOMAIN §10)."""
    summary = change.summary or {}
    name = summary.get("subject_name") or "—"
    what = summary.get("document_number") or summary.get("decision_document_number") or ""
    if change.kind == ChangeKind.LIST_ENTRY and summary.get("list_type_name"):
        what = f"{summary['list_type_name']} {what}".strip()
    if change.kind == ChangeKind.GRADE:
        what = f"{summary.get('old_grade') or '—'} → {summary.get('new_grade') or '—'}"
    kind = ChangeKind(change.kind).label if change.kind in ChangeKind.values else change.kind
    action = ChangeAction(change.action).label if change.action in ChangeAction.values else change.action
    when = timezone.localtime(change.occurred_at).strftime("%Y-%m-%d %H:%M")
    return (
        _("%(when)s %(kind)s·%(action)s：%(name)s（%(uscc)s）%(what)s")
        % {"when": when, "kind": kind, "action": action, "name": name, "uscc": change.uscc, "what": what}
    ).strip()


def send_digests(*, now: datetime.datetime | None = None) -> int:
    """Mail each watcher the changes matched since the last digest; returns the number of mails sent.

    The mail goes out outside any transaction (STYLE §2.3); only then are the matches marked. A failed mail leaves
    them unmarked, so the next run sends them again (at least once). Owners without an address are only marked.
    """
    now = now or timezone.now()
    limit = settings.WATCH_DIGEST_MAX_ITEMS
    pending = WatchMatch.objects.filter(digested_at__isnull=True)
    owner_ids = list(pending.order_by().values_list("owner_id", flat=True).distinct())
    sent = 0
    owners = get_user_model().objects.in_bulk(owner_ids)
    for owner_id in owner_ids:
        owner = owners.get(owner_id)
        mine = pending.filter(owner_id=owner_id)
        last_pk = mine.order_by("-pk").values_list("pk", flat=True).first()
        if last_pk is None:
            continue
        mine = mine.filter(pk__lte=last_pk)
        if owner is not None and owner.is_active and owner.email:
            total = mine.count()
            items = list(mine.select_related("change").order_by("change_id")[:limit])
            lines = [describe(match.change) for match in items]
            if total > len(items):
                lines.append(_("……另有 %(more)s 条，请登录平台查看。") % {"more": total - len(items)})
            day = timezone.localtime(now).date().isoformat()
            subject = _("【%(portal)s】您关注的主体有 %(count)s 条新变化（%(day)s）") % {
                "portal": settings.PORTAL_NAME,
                "count": total,
                "day": day,
            }
            body = "\n".join(
                [
                    _("您好，自上次摘要以来，您关注的主体有以下公开变化："),
                    "",
                    *lines,
                    "",
                    _("退订或管理关注清单请登录平台。"),
                ]
            )
            try:
                send_mail(subject, body, None, [owner.email])
            except Exception:  # noqa: BLE001 - one bad address must not stop the others' digests
                logger.exception("watch digest to user %s failed", owner_id)
                continue
            sent += 1
        mine.update(digested_at=now)
    return sent


def kick_sender() -> None:
    """Ask a worker to send due webhooks after the commit (only with a real broker, like exchange.outbox.kick)."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return
    transaction.on_commit(lambda: current_app.send_task(SEND_TASK), robust=True)


# --- Retention -------------------------------------------------------------------------------------------------


def prune(*, now: datetime.datetime, keep_days: int | None = None, batch_size: int = 10_000) -> dict[str, int]:
    """Delete what has been dealt with and is older than WATCH_KEEP_DAYS: matches already digested, deliveries
    already delivered. A match still waiting for its digest and a delivery not yet accepted are never deleted,
    however old (the change feed itself keeps the dated history; DOMAIN §12). In batches, one DELETE each."""
    keep_days = settings.WATCH_KEEP_DAYS if keep_days is None else keep_days
    cutoff = now - datetime.timedelta(days=keep_days)
    done = {
        "matches": WatchMatch.objects.filter(digested_at__isnull=False, matched_at__lt=cutoff),
        "deliveries": WebhookDelivery.objects.filter(status=WebhookDelivery.Status.DELIVERED, delivered_at__lt=cutoff),
    }
    deleted = {}
    for name, queryset in done.items():
        total = 0
        while ids := list(queryset.order_by().values_list("pk", flat=True)[:batch_size]):
            total += queryset.model.objects.filter(pk__in=ids).delete()[0]
        deleted[name] = total
    return deleted
