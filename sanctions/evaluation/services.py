"""Writes of the public credit evaluation: the nightly set-based recompute and the one-subject recompute."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from credit_portal.errors import DomainError
from registry.models import Subject

from ..models import EvaluationModel, SubjectGrade, SubjectGradeHistory
from .factors import FACTORS, factor_counts


class NoEvaluationModel(DomainError):
    code = "no_evaluation_model"


def score_of(*, model: EvaluationModel, counts: dict[str, int]) -> tuple[int, list[dict]]:
    """The score and the reasons (the factors that moved it) of one subject's counts."""
    score = model.base_score
    reasons = []
    for factor in FACTORS:
        count = counts.get(factor.code) or 0
        points = count * getattr(model, factor.weight_field)
        if count:
            reasons.append({"factor": factor.code, "count": count, "points": points})
        score += points
    return score, reasons


def grade_of(*, bands: list, score: int) -> str:
    """The first grade, from the highest, whose lowest score the subject reaches; else the lowest grade."""
    for band in bands:  # ordered by min_score descending
        if score >= band.min_score:
            return band.symbol
    return bands[-1].symbol


def _recompute(*, subjects, model: EvaluationModel, today: date, batch_size: int) -> int:
    """Grade the given subjects in batches: one aggregate query, one upsert and one history insert per batch."""
    bands = list(model.bands.order_by("-min_score"))
    if not bands:
        raise NoEvaluationModel(_no_bands_message())
    counts = factor_counts(today=today)
    codes = list(counts)
    now = timezone.now()
    done = 0
    last_pk = 0
    while True:
        rows = list(
            subjects.filter(pk__gt=last_pk)
            .order_by("pk")
            .annotate(**counts)
            .values(
                "pk",
                "credit_grade__model_id",
                "credit_grade__score",
                "credit_grade__grade",
                "credit_grade__reasons",
                *codes,
            )[:batch_size]
        )
        if not rows:
            return done
        last_pk = rows[-1]["pk"]
        grades, history = [], []
        for row in rows:
            score, reasons = score_of(model=model, counts=row)
            grade = grade_of(bands=bands, score=score)
            fields = {"model": model, "score": score, "grade": grade, "reasons": reasons, "computed_at": now}
            previous = (row["credit_grade__model_id"], row["credit_grade__score"], row["credit_grade__grade"])
            if previous == (model.pk, score, grade) and row["credit_grade__reasons"] == reasons:
                continue  # unchanged: computed_at keeps the time of the evaluation that produced this grade
            grades.append(SubjectGrade(subject_id=row["pk"], **fields))
            if previous != (model.pk, score, grade):  # the history keeps grade and score changes
                history.append(SubjectGradeHistory(subject_id=row["pk"], **fields))
        if grades:
            _save(grades, history)
        done += len(rows)


def _save(grades: list[SubjectGrade], history: list[SubjectGradeHistory]) -> None:
    """Upsert the changed grades and append their history, in one transaction."""
    with transaction.atomic():
        SubjectGrade.objects.bulk_create(
            grades,
            update_conflicts=True,
            unique_fields=["subject"],
            update_fields=["model", "score", "grade", "reasons", "computed_at"],
        )
        SubjectGradeHistory.objects.bulk_create(history)


def _no_bands_message():
    return _("没有生效的公共信用综合评价模型或模型未设置等级，请管理员先在后台配置。")


def active_model(*, today: date) -> EvaluationModel:
    """The model in force on ``today``, or a refusal telling the administrator to configure one."""
    model = EvaluationModel.objects.in_force(today=today)
    if model is None:
        raise NoEvaluationModel(_no_bands_message())
    return model


def recompute_grades(*, today: date, batch_size: int = 5000) -> int:
    """Nightly: grade every subject with the model in force, set-based (issue 11); returns the number graded."""
    model = active_model(today=today)
    return _recompute(subjects=Subject.objects.all(), model=model, today=today, batch_size=batch_size)


def recompute_subject_grade(*, subject: Subject, today: date) -> SubjectGrade:
    """Grade one subject at once after its record changed."""
    model = active_model(today=today)
    _recompute(subjects=Subject.objects.filter(pk=subject.pk), model=model, today=today, batch_size=1)
    return SubjectGrade.objects.get(subject=subject)


@transaction.atomic
def copy_model_version(*, model: EvaluationModel) -> EvaluationModel:
    """A new inactive version copying a model's weights and grades, for the administrator to edit and activate."""
    last = EvaluationModel.objects.select_for_update().order_by("-version").first()
    bands = list(model.bands.all())
    copy = EvaluationModel.objects.get(pk=model.pk)
    copy.pk = None
    copy.version = last.version + 1
    copy.name = f"{model.name}（v{copy.version}）"
    copy.is_active = False
    copy.save()
    for band in bands:
        band.pk = None
        band.model = copy
    copy.bands.model.objects.bulk_create(bands)
    return copy
