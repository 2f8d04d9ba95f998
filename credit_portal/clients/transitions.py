"""Allowed status moves of an API client (issue 12)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from credit_portal.errors import TransitionNotAllowed

from .choices import ClientStatus
from .models import ApiClient

S = ClientStatus
ALLOWED: dict[str, frozenset[str]] = {
    S.APPLIED: frozenset({S.APPROVED, S.REJECTED}),
    S.APPROVED: frozenset({S.SUSPENDED, S.EXPIRED}),
    S.SUSPENDED: frozenset({S.APPROVED, S.EXPIRED}),
    # An expired client is renewed by approving it again with a new validity window.
    S.EXPIRED: frozenset({S.APPROVED}),
    S.REJECTED: frozenset(),
}


def move(client: ApiClient, to: str) -> None:
    """Set the new status in memory, or refuse; the calling service saves."""
    if to not in ALLOWED.get(client.status, frozenset()):
        raise TransitionNotAllowed(
            _("状态为“%(current)s”的API客户端不能改为“%(target)s”。")
            % {"current": S(client.status).label, "target": S(to).label}
        )
    client.status = to
