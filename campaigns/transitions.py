"""Allowed status moves of campaigns, ledger tasks and complaints, as data (STYLE §3)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from credit_portal.errors import TransitionNotAllowed

from .choices import ComplaintStatus, PublicationStatus, TaskStatus

CAMPAIGN: dict[str, frozenset[str]] = {
    PublicationStatus.DRAFT: frozenset({PublicationStatus.PUBLISHED}),
    PublicationStatus.PUBLISHED: frozenset({PublicationStatus.UNPUBLISHED}),
    PublicationStatus.UNPUBLISHED: frozenset({PublicationStatus.PUBLISHED}),
}

TASK: dict[str, frozenset[str]] = {
    TaskStatus.NOT_STARTED: frozenset({TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.COMPLETED}),
    TaskStatus.IN_PROGRESS: frozenset({TaskStatus.IN_PROGRESS, TaskStatus.COMPLETED}),
    # A completed task is reopened only by the office (services.reopen_task), never by a report.
    TaskStatus.COMPLETED: frozenset(),
}

COMPLAINT: dict[str, frozenset[str]] = {
    ComplaintStatus.RECEIVED: frozenset({ComplaintStatus.ASSIGNED, ComplaintStatus.REJECTED}),
    # The office may route an assigned complaint to another department (reassignment) before it is answered.
    ComplaintStatus.ASSIGNED: frozenset({ComplaintStatus.ASSIGNED, ComplaintStatus.ANSWERED}),
    ComplaintStatus.ANSWERED: frozenset(),
    ComplaintStatus.REJECTED: frozenset(),
}

_TABLES: dict[type[models.TextChoices], dict[str, frozenset[str]]] = {
    PublicationStatus: CAMPAIGN,
    TaskStatus: TASK,
    ComplaintStatus: COMPLAINT,
}


def move(obj: models.Model, to: models.TextChoices, *, field: str = "status") -> None:
    """Set the new status in memory, or refuse; the calling service saves."""
    choices = type(to)
    current = getattr(obj, field)
    if to not in _TABLES[choices].get(current, frozenset()):
        raise TransitionNotAllowed(
            _("状态为“%(current)s”的记录不能改为“%(target)s”。")
            % {"current": choices(current).label, "target": choices(to).label}
        )
    setattr(obj, field, to)
