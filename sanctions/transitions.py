"""Allowed status moves of list entries, as data (DOMAIN §6; oscar keeps its pipelines this way)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from credit_portal.errors import TransitionNotAllowed

from .choices import EntryStatus, ListColor

if TYPE_CHECKING:
    from .models import ListEntry

S = EntryStatus

# Black lists: the subject is told before listing and may state and defend (国办发〔2020〕49号).
BLACK: dict[str, frozenset[str]] = {
    S.PROPOSED: frozenset({S.NOTICE_SERVED, S.REJECTED}),
    S.NOTICE_SERVED: frozenset({S.STATEMENT_RECORDED, S.DECIDED, S.REJECTED}),
    S.STATEMENT_RECORDED: frozenset({S.DECIDED, S.REJECTED}),
    S.DECIDED: frozenset({S.PUBLISHED, S.REMOVED}),
    S.PUBLISHED: frozenset({S.REMOVED}),
}

# Red lists: a public notice period comes first (DOMAIN §6).
RED: dict[str, frozenset[str]] = {
    S.PROPOSED: frozenset({S.PUBLIC_NOTICE, S.REJECTED}),
    S.PUBLIC_NOTICE: frozenset({S.PUBLISHED, S.REJECTED}),
    S.PUBLISHED: frozenset({S.REMOVED}),
}

ALLOWED: dict[str, dict[str, frozenset[str]]] = {ListColor.BLACK: BLACK, ListColor.RED: RED}


def allowed_targets(entry: ListEntry) -> frozenset[str]:
    return ALLOWED[entry.list_type.color].get(entry.status, frozenset())


def can_move(entry: ListEntry, to: str) -> bool:
    return to in allowed_targets(entry)


def move(entry: ListEntry, to: str) -> None:
    """Set the new status in memory, or refuse; the calling service saves."""
    if not can_move(entry, to):
        raise TransitionNotAllowed(
            _("%(color)s记录状态为“%(current)s”，不能改为“%(target)s”。")
            % {
                "color": ListColor(entry.list_type.color).label,
                "current": EntryStatus(entry.status).label,
                "target": EntryStatus(to).label,
            }
        )
    entry.status = to
