"""Code lists of government integrity records (政务诚信)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class GovernmentRecordKind(models.TextChoices):
    """Kinds of an agency's own dishonesty (seed 004)."""

    JUDGMENT_UNFULFILLED = "judgment_unfulfilled", _("未履行生效判决")
    BROKEN_CONTRACT = "broken_contract", _("违约毁约")
    BROKEN_PROMISE = "broken_promise", _("招商引资等政策承诺未兑现")
    PENALTY = "penalty", _("受到行政处罚")
    OTHER = "other", _("其他失信行为")


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("评估中")
    FINAL = "final", _("已确定")
