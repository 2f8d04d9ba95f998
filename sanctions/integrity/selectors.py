"""Reads of government integrity: the office's ranking and the public summary."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

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


def assessment_years(*, final_only: bool = False) -> list[int]:
    """Years that have assessments (only fixed ones for the public), newest first."""
    rows = IntegrityAssessment.objects.all()
    if final_only:
        rows = rows.filter(status=AssessmentStatus.FINAL)
    return list(rows.order_by("-year").values_list("year", flat=True).distinct())


def government_records_for_office() -> QuerySet[GovernmentRecord]:
    """Every government dishonesty record with its agency, for the credit office's page."""
    return GovernmentRecord.objects.select_related("subject").order_by("-occurred_date", "-pk")


def public_government_records() -> QuerySet[GovernmentRecord]:
    """Published records with the agency's name and code only (agencies carry no personal data)."""
    return (
        GovernmentRecord.objects.public()
        .select_related("subject")
        .only(
            "kind",
            "description",
            "occurred_date",
            "rectified_date",
            "subject__id",
            "subject__name",
            "subject__uscc",
            "subject__category",
        )
        .order_by("-occurred_date", "-pk")
    )
