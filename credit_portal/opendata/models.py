"""The public change feed (issue 12): one dated row per public change, filled from the exchange outbox."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import ChangeAction, ChangeKind


class ChangeEvent(models.Model):
    """A public change of a record or list entry, with a stable, ever-increasing id (the feed's cursor).

    Rows are only written by ``services.sync_changes`` under the lock on ``FeedSyncState``: one writer at a time
    means ids become visible in id order, so a reader paging by ``id > cursor`` never skips a row that commits later.
    """

    # The outbox event it came from: unique, so a repeated sync never duplicates (outbox rows may be pruned later).
    source_event_id = models.BigIntegerField(_("来源事件编号"), unique=True)
    occurred_at = models.DateTimeField(_("发生时间"), db_index=True)
    kind = models.CharField(_("数据类别"), max_length=16, choices=ChangeKind.choices)
    action = models.CharField(_("变化"), max_length=16, choices=ChangeAction.choices)
    object_id = models.BigIntegerField(_("对象编号"))
    # A legal entity's code only: never a natural person's ID number (DOMAIN §10).
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, db_index=True)
    # Public fields only, a natural person's name masked (DOMAIN §10); built by services._summary.
    summary = models.JSONField(_("公开摘要"), default=dict)

    class Meta:
        verbose_name = verbose_name_plural = _("公开变化事件")
        ordering = ["pk"]
        indexes = [models.Index(fields=["kind", "object_id"], name="changeevent_object")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind}#{self.object_id} {self.action}"


class FeedSyncState(models.Model):
    """The one row that records how far the outbox has been read; locked while a sync runs."""

    last_event_id = models.BigIntegerField(_("已同步的最后事件编号"), default=0)
    synced_at = models.DateTimeField(_("最近同步时间"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("变化同步状态")

    def __str__(self) -> str:
        return f"outbox ≤ {self.last_event_id}"
