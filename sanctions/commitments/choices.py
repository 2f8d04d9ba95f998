"""Code lists of credit commitments (信用承诺)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CommitmentType(models.TextChoices):
    """Kinds of written commitment a department accepts (issue 11, seed 003)."""

    NOTIFICATION = "notification", _("告知承诺")
    DEFICIENCY_TOLERANCE = "deficiency_tolerance", _("容缺受理")
    REPAIR = "repair", _("信用修复承诺")
    VOLUNTARY = "voluntary", _("主动承诺")
    TRADE_SELF_REGULATION = "trade_self_regulation", _("行业自律承诺")


class CommitmentStatus(models.TextChoices):
    """Fulfilment status of a commitment."""

    PENDING = "pending", _("履行中")
    FULFILLED = "fulfilled", _("已履行")
    BROKEN = "broken", _("未履行（失信）")
