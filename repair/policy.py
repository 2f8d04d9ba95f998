"""Time limits, upload limits and eligibility defaults of repair and objections: data, never literals (STYLE §2.9)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings

from .choices import ApplicationKind
from .models import TimeLimitPolicy

# DOMAIN §8 defaults, used when no policy row is in force; settings may override each (REPAIR_TIME_LIMITS).
DEFAULT_LIMITS: dict[str, dict[str, int]] = {
    ApplicationKind.REPAIR: {
        "accept_days": 2,
        "decide_days": 5,
        "extension_days": 5,
        "reminder_days": 1,
        "cooloff_months": 12,
    },
    # Objections: decide within 5 working days, extendable to 20 in total with approval.
    ApplicationKind.OBJECTION: {
        "accept_days": 1,
        "decide_days": 5,
        "extension_days": 15,
        "reminder_days": 1,
        "cooloff_months": 0,
    },
}


@dataclass(frozen=True)
class Limits:
    accept_days: int
    decide_days: int
    extension_days: int
    reminder_days: int
    cooloff_months: int


def limits(kind: str, *, on: datetime.date) -> Limits:
    """The limits in force on a day: the newest admin row, else settings, else DOMAIN §8 defaults."""
    row = TimeLimitPolicy.objects.filter(kind=kind, effective_from__lte=on).order_by("-effective_from").first()
    if row is not None:
        return Limits(
            accept_days=row.accept_days,
            decide_days=row.decide_days,
            extension_days=row.extension_days,
            reminder_days=row.reminder_days,
            cooloff_months=row.cooloff_months,
        )
    values = {**DEFAULT_LIMITS[kind], **getattr(settings, "REPAIR_TIME_LIMITS", {}).get(kind, {})}
    return Limits(**values)


def max_upload_bytes() -> int:
    return int(getattr(settings, "REPAIR_UPLOAD_MAX_BYTES", 10 * 1024 * 1024))


def max_upload_files() -> int:
    return int(getattr(settings, "REPAIR_UPLOAD_MAX_FILES", 5))
