"""Reads of credit commitments, with their joins (STYLE §2.6)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Count, QuerySet

from registry.models import User

from ..models import PUBLIC_COMMITMENT_FIELDS, Commitment


def commitments_for_staff(*, user: User) -> QuerySet[Commitment]:
    """Commitments the user may see: a clerk their department's, the credit office all."""
    return Commitment.objects.visible_to(user).select_related("subject", "department", "recorded_by")


def public_commitments() -> QuerySet[Commitment]:
    """Commitments and their fulfilment for visitors; personal columns are never selected (DOMAIN §10)."""
    return Commitment.objects.public().select_related("subject", "department").only(*PUBLIC_COMMITMENT_FIELDS)


def commitment_counts(subject_ids: Sequence[int]) -> dict[int, dict[str, int]]:
    """Commitments of many subjects by fulfilment status, for a credit check, in one query."""
    from ..selectors import EqualsAny  # one ANY(array) parameter whatever the batch size

    counts: dict[int, dict[str, int]] = {}
    rows = (
        Commitment.objects.filter(EqualsAny("subject_id", list(subject_ids)))
        .order_by()
        .values("subject_id", "status")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        counts.setdefault(row["subject_id"], {})[row["status"]] = row["n"]
    return counts
