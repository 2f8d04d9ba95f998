"""The public change feed (issue 12): one dated row per public change, filled from the exchange outbox, the
objection steps and the grade history (``services.sync_changes``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import ChangeAction, ChangeKind, ChangeSource


class ChangeEvent(models.Model):
    """A public change of a record, list entry or grade, with a stable, ever-increasing id (the feed's cursor).

    Rows are only written by ``services.sync_changes`` under the lock on ``FeedSyncState``: one writer at a time
    means ids become visible in id order, so a reader paging by ``id > cursor`` never skips a row that commits later.
    """

    # The row it came from (an outbox event, an objection step, a grade-history row): unique per source, so a
    # repeated sync never duplicates (source rows may be pruned later).
    # A database default too: rows written by SQL (the benchmark's bulk changes) are outbox-like.
    source = models.CharField(
        _("来源"),
        max_length=16,
        choices=ChangeSource.choices,
        default=ChangeSource.OUTBOX,
        db_default=ChangeSource.OUTBOX,
    )
    source_event_id = models.BigIntegerField(_("来源事件编号"))
    occurred_at = models.DateTimeField(_("发生时间"), db_index=True)
    kind = models.CharField(_("数据类别"), max_length=16, choices=ChangeKind.choices)
    action = models.CharField(_("变化"), max_length=16, choices=ChangeAction.choices)
    object_id = models.BigIntegerField(_("对象编号"))
    # The record, list entry or (kind "grade") subject the change is about.
    # A legal entity's code only: never a natural person's ID number (DOMAIN §10).
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, db_index=True)
    # Public fields only, a natural person's name masked (DOMAIN §10); built by services._summary and sources.
    summary = models.JSONField(_("公开摘要"), default=dict)

    class Meta:
        verbose_name = verbose_name_plural = _("公开变化事件")
        ordering = ["pk"]
        indexes = [models.Index(fields=["kind", "object_id"], name="changeevent_object")]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_event_id"],
                name="changeevent_one_per_source_row",
                violation_error_message=_("该来源记录已生成公开变化事件。"),
                violation_error_code="duplicate_change",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind}#{self.object_id} {self.action}"


class FeedSyncState(models.Model):
    """The one row that records how far each source has been read; locked while a sync runs."""

    last_event_id = models.BigIntegerField(_("已同步的最后事件编号"), default=0)
    last_objection_step_id = models.BigIntegerField(_("已同步的最后异议环节编号"), default=0)
    last_grade_history_id = models.BigIntegerField(_("已同步的最后等级历史编号"), default=0)
    synced_at = models.DateTimeField(_("最近同步时间"), null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("变化同步状态")

    def __str__(self) -> str:
        return (
            f"outbox ≤ {self.last_event_id}, objections ≤ {self.last_objection_step_id}, "
            f"grades ≤ {self.last_grade_history_id}"
        )
