"""Allowed status moves of a 双公示 record, as data (STYLE §3; DOMAIN §3, §5, §8)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from credit_portal.errors import TransitionNotAllowed

from .choices import RecordStatus
from .models import Licensing, Penalty

ALLOWED: dict[str, frozenset[str]] = {
    RecordStatus.DRAFT: frozenset({RecordStatus.PUBLISHED, RecordStatus.WITHDRAWN}),
    RecordStatus.PUBLISHED: frozenset({RecordStatus.WITHDRAWN, RecordStatus.EXPIRED, RecordStatus.STOPPED_BY_REPAIR}),
}
# Statuses whose content may still be changed: a draft in place, a published record by a new version.
CORRECTABLE = frozenset({RecordStatus.DRAFT, RecordStatus.PUBLISHED})


def can_move(record: Penalty | Licensing, to: str) -> bool:
    return to in ALLOWED.get(record.status, frozenset())


def move(record: Penalty | Licensing, to: str) -> None:
    """Set the new status in memory, or refuse; the calling service saves."""
    if not can_move(record, to):
        raise TransitionNotAllowed(
            _("状态为“%(current)s”的记录不能改为“%(target)s”。")
            % {"current": RecordStatus(record.status).label, "target": RecordStatus(to).label}
        )
    record.status = to


def require_correctable(record: Penalty | Licensing) -> None:
    """Withdrawn, expired or repaired records are closed: a changed decision is filed with a new number."""
    if record.status not in CORRECTABLE:
        raise TransitionNotAllowed(
            _("状态为“%(current)s”的记录不能再修改。") % {"current": RecordStatus(record.status).label},
            code="record_closed",
        )
