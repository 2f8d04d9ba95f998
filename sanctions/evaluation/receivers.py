"""Receivers of other apps' signals that change a subject's grade (issue 11: recomputed at once on change)."""

from __future__ import annotations

from disclosure.models import Penalty

from ..selectors import EqualsAny
from .services import regrade_on_commit


def penalties_changed(sender, *, ids: list[int], **kwargs) -> None:
    """A penalty was published, corrected, withdrawn, expired or stopped by repair: regrade its subjects."""
    if sender is not Penalty or not ids:
        return  # licences are no factor of the evaluation
    # One query per change or per batch of a job (never one per record).
    regrade_on_commit(Penalty.objects.filter(EqualsAny("pk", ids)).values_list("subject_id", flat=True).distinct())
