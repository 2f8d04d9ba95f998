"""Reads of credit commitments, with their joins (STYLE §2.6)."""

from __future__ import annotations

from django.db.models import QuerySet

from registry.models import User

from ..models import PUBLIC_COMMITMENT_FIELDS, Commitment


def commitments_for_staff(*, user: User) -> QuerySet[Commitment]:
    """Commitments the user may see: a clerk their department's, the credit office all."""
    return Commitment.objects.visible_to(user).select_related("subject", "department", "recorded_by")


def public_commitments() -> QuerySet[Commitment]:
    """Commitments and their fulfilment for visitors; personal columns are never selected (DOMAIN §10)."""
    return Commitment.objects.public().select_related("subject", "department").only(*PUBLIC_COMMITMENT_FIELDS)
