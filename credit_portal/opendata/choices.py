"""Code lists of the public change feed (issue 12)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeKind(models.TextChoices):
    """What changed: a record, a list entry, or a subject's public credit grade."""

    LICENSING = "licensing", _("行政许可")
    PENALTY = "penalty", _("行政处罚")
    LIST_ENTRY = "list_entry", _("红黑名单")
    GRADE = "grade", _("公共信用综合评价等级")


class ChangeAction(models.TextChoices):
    """What happened to a public record, list entry or grade; history is never rewritten, each action is dated."""

    PUBLISHED = "published", _("公示")
    CORRECTED = "corrected", _("更正")
    WITHDRAWN = "withdrawn", _("撤销")
    EXPIRED = "expired", _("期满")
    REPAIRED = "repaired", _("信用修复")
    LISTED = "listed", _("列入名单")
    REMOVED = "removed", _("移出名单")
    OBJECTION_OPENED = "objection_opened", _("异议处理中")
    OBJECTION_CLOSED = "objection_closed", _("异议办结")
    GRADE_CHANGED = "grade_changed", _("等级变化")


class ChangeSource(models.TextChoices):
    """The dated table a change event was read from; with its row id it names the event's origin once."""

    OUTBOX = "outbox", _("报送事件")
    OBJECTION = "objection", _("异议办理环节")
    GRADE = "grade", _("信用等级历史")
