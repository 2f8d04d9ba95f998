"""Reference data of repair: the default time-limit rows (DOMAIN §8), restorable after a flush (credit_portal.seeding)."""

from __future__ import annotations

import datetime

EFFECTIVE_FROM = datetime.date(2019, 7, 1)
BASIS = "信用修复管理办法及本地规定默认值"


def seed(apps=None) -> None:
    """Create the default rows that are missing; an administrator's edits are kept."""
    if apps is None:
        from .models import TimeLimitPolicy
    else:
        TimeLimitPolicy = apps.get_model("repair", "TimeLimitPolicy")
    from .policy import DEFAULT_LIMITS

    for kind, values in DEFAULT_LIMITS.items():
        TimeLimitPolicy.objects.get_or_create(
            kind=str(kind), effective_from=EFFECTIVE_FROM, defaults={**values, "basis": BASIS}
        )
