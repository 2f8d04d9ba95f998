"""Code lists of the public change feed (issue 12)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeKind(models.TextChoices):
    LICENSING = "licensing", _("行政许可")
    PENALTY = "penalty", _("行政处罚")
    LIST_ENTRY = "list_entry", _("红黑名单")


class ChangeAction(models.TextChoices):
    """What happened to a public record or list entry; history is never rewritten, each action is dated."""

    PUBLISHED = "published", _("公示")
    CORRECTED = "corrected", _("更正")
    WITHDRAWN = "withdrawn", _("撤销")
    EXPIRED = "expired", _("期满")
    REPAIRED = "repaired", _("信用修复")
    LISTED = "listed", _("列入名单")
    REMOVED = "removed", _("移出名单")
