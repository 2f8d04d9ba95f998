"""Allowed status moves of a repair or objection application, as data (STYLE §3; DOMAIN §8)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from credit_portal.errors import TransitionNotAllowed

from .choices import ApplicationKind, ApplicationStatus

S = ApplicationStatus

ALLOWED: dict[str, dict[str, frozenset[str]]] = {
    ApplicationKind.REPAIR: {
        S.SUBMITTED: frozenset({S.ACCEPTED, S.REFUSED, S.MATERIALS_REQUESTED}),
        S.MATERIALS_REQUESTED: frozenset({S.SUBMITTED, S.ACCEPTED}),  # back to where the clock stopped
        S.ACCEPTED: frozenset({S.APPROVED, S.DENIED, S.MATERIALS_REQUESTED}),
    },
    ApplicationKind.OBJECTION: {
        S.SUBMITTED: frozenset({S.ROUTED, S.REFUSED, S.MATERIALS_REQUESTED}),
        S.MATERIALS_REQUESTED: frozenset({S.SUBMITTED, S.ROUTED}),
        S.ROUTED: frozenset({S.ANSWERED, S.EXPERT_REVIEW, S.MATERIALS_REQUESTED}),
        S.EXPERT_REVIEW: frozenset({S.ROUTED}),
        S.ANSWERED: frozenset({S.CLOSED, S.ROUTED}),  # the credit office may send an answer back
    },
}


def can_move(application, to: str) -> bool:
    return to in ALLOWED[application.kind].get(application.status, frozenset())


def move(application, to: str) -> None:
    """Set the new status in memory, or refuse; the calling service saves."""
    if not can_move(application, to):
        raise TransitionNotAllowed(
            _("状态为“%(current)s”的申请不能改为“%(target)s”。")
            % {"current": ApplicationStatus(application.status).label, "target": ApplicationStatus(to).label}
        )
    application.status = to
