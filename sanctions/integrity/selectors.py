"""Reads of government integrity: the office's ranking and the public summary."""

from __future__ import annotations

from django.db.models import Count, Q

from registry.models import Subject

from ..models import GovernmentRecord, IntegrityAssessment
from .choices import AssessmentStatus


def ranking(*, year: int, final_only: bool = False) -> list[dict]:
    """Departments of the year by score, highest first, with their rank (ties share a rank)."""
    rows = IntegrityAssessment.objects.filter(year=year).select_related("department").order_by("-score", "department")
    if final_only:
        rows = rows.filter(status=AssessmentStatus.FINAL)
    result, rank, previous = [], 0, None
    for position, row in enumerate(rows, start=1):
        if row.score != previous:
            rank, previous = position, row.score
        result.append(
            {
                "id": row.pk,
                "rank": rank,
                "department": row.department.name,
                "score": str(row.score),
                "status": row.status,
                "remarks": row.remarks,
                "items": row.items,
            }
        )
    return result


def public_summary(*, year: int) -> dict:
    """The year's fixed ranking (without the criteria detail) and the public dishonesty records per agency."""
    records = (
        Subject.objects.filter(government_records__in=GovernmentRecord.objects.public())
        .annotate(n=Count("government_records", filter=Q(government_records__is_public=True)))
        .order_by("-n", "name")
        .values("name", "uscc", "n")
    )
    return {
        "year": year,
        "ranking": [
            {key: row[key] for key in ("rank", "department", "score")} for row in ranking(year=year, final_only=True)
        ],
        "dishonest_agencies": [
            {"name": row["name"], "uscc": row["uscc"], "record_count": row["n"]} for row in records.distinct()
        ],
    }
