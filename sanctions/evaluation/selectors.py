"""Reads of the public credit evaluation: a subject's grade with its band, reasons and history."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import QuerySet

from ..models import GradeBand, SubjectGrade, SubjectGradeHistory
from .factors import FACTOR_LABELS


def grade_of_subject(*, subject_id: int) -> SubjectGrade | None:
    """The subject's current grade with the model that produced it, or None before the first evaluation."""
    return SubjectGrade.objects.select_related("model").filter(subject_id=subject_id).first()


def band_of(grade: SubjectGrade) -> GradeBand | None:
    """The grade's meaning and supervision suggestion in the model that produced it."""
    return GradeBand.objects.filter(model_id=grade.model_id, symbol=grade.grade).first()


def labelled_reasons(grade: SubjectGrade) -> list[dict]:
    """The reasons with their translated labels, for pages and the API."""
    return [
        {**reason, "label": str(FACTOR_LABELS.get(reason["factor"], reason["factor"]))} for reason in grade.reasons
    ]


def grade_history(*, subject_id: int) -> QuerySet[SubjectGradeHistory]:
    """The subject's grade changes, newest first, with the model versions."""
    return SubjectGradeHistory.objects.filter(subject_id=subject_id).select_related("model")


def summary(grade: SubjectGrade | None) -> dict | None:
    """The grade as credit checks and the public API show it."""
    if grade is None:
        return None
    band = band_of(grade)
    return {
        "grade": grade.grade,
        "meaning": band.meaning if band else "",
        "score": grade.score,
        "model_version": grade.model.version,
        "computed_at": grade.computed_at.isoformat(),
        "reasons": labelled_reasons(grade),
        "inspection_ratio": str(band.inspection_ratio) if band else None,
        "supervision_suggestion": band.suggestion if band else "",
    }


def grades_for_check(subject_ids: Sequence[int]) -> dict[int, dict]:
    """Grades and supervision suggestions of many subjects for a credit check, in two queries (DOMAIN §7)."""
    from ..selectors import EqualsAny  # one ANY(array) parameter whatever the batch size

    rows = list(
        SubjectGrade.objects.filter(EqualsAny("subject_id", list(subject_ids)))
        .order_by()
        .values("subject_id", "model_id", "model__version", "score", "grade")
    )
    bands = {
        (band.model_id, band.symbol): band
        for band in GradeBand.objects.filter(model_id__in={row["model_id"] for row in rows})
    }
    result = {}
    for row in rows:
        band = bands.get((row["model_id"], row["grade"]))
        result[row["subject_id"]] = {
            "grade": row["grade"],
            "meaning": band.meaning if band else "",
            "score": row["score"],
            "model_version": row["model__version"],
            "inspection_ratio": str(band.inspection_ratio) if band else None,
            "supervision_suggestion": band.suggestion if band else "",
        }
    return result


def public_grade(*, subject_id: int) -> dict | None:
    """The grade as the public sees it on the profile and in the credit report: no supervision suggestion."""
    grade = grade_of_subject(subject_id=subject_id)
    data = summary(grade)
    if data is None:
        return None
    data["computed_at"] = grade.computed_at  # a datetime for the templates' date filter
    data.pop("inspection_ratio")  # 分级分类监管 is for departments (issue 11)
    data.pop("supervision_suggestion")
    return data


def supervision(*, subject_id: int) -> dict | None:
    """The supervision suggestion of the subject's grade, for department staff only."""
    grade = grade_of_subject(subject_id=subject_id)
    band = band_of(grade) if grade else None
    if band is None:
        return None
    return {"grade": grade.grade, "inspection_ratio": band.inspection_ratio, "suggestion": band.suggestion}
