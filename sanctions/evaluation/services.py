"""Writes of the public credit evaluation: the nightly set-based recompute and the one-subject recompute."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import partial

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from credit_portal.errors import DomainError
from registry.models import Subject

from ..models import EvaluationModel, SubjectGrade, SubjectGradeHistory
from . import sql
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
    """Grade the given subjects in batches: one aggregate query, one upsert and one history insert per batch.

    The portable path (SQLite); PostgreSQL runs ``sql.py``'s one statement per batch, which gives the same rows.
    """
    bands = _bands(model)
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


# Subjects per statement of the PostgreSQL path (one range of ids each), and per batch of the Python path.
SQL_BATCH_SIZE = 100_000
PYTHON_BATCH_SIZE = 5000


def _sql_path(method: str | None) -> bool:
    """The one-statement path on PostgreSQL unless told otherwise (``method`` "sql" or "python")."""
    if method is None:
        return connection.vendor == "postgresql"
    return method == "sql"


def _bands(model: EvaluationModel) -> list:
    bands = list(model.bands.order_by("-min_score"))
    if not bands:
        raise NoEvaluationModel(_no_bands_message())
    return bands


def recompute_grades(*, today: date, batch_size: int | None = None, method: str | None = None) -> int:
    """Nightly: grade every subject with the model in force, set-based (issue 11); returns the number graded."""
    model = active_model(today=today)
    if _sql_path(method):
        return sql.recompute_all(
            model=model, bands=_bands(model), today=today, now=timezone.now(), batch_size=batch_size or SQL_BATCH_SIZE
        )
    return _recompute(
        subjects=Subject.objects.all(), model=model, today=today, batch_size=batch_size or PYTHON_BATCH_SIZE
    )


def _grade_ids(*, ids: list[int], model: EvaluationModel, today: date, method: str | None = None) -> int:
    from ..selectors import EqualsAny  # one ANY(array) parameter whatever the batch size

    if _sql_path(method):
        return sql.recompute_ids(model=model, bands=_bands(model), today=today, now=timezone.now(), ids=ids)
    subjects = Subject.objects.filter(EqualsAny("pk", ids))
    return _recompute(subjects=subjects, model=model, today=today, batch_size=PYTHON_BATCH_SIZE)


def recompute_subject_grade(*, subject: Subject, today: date, method: str | None = None) -> SubjectGrade:
    """Grade one subject at once after its record changed."""
    _grade_ids(ids=[subject.pk], model=active_model(today=today), today=today, method=method)
    return SubjectGrade.objects.get(subject=subject)


def recompute_grades_of(*, subject_ids: Iterable[int], today: date, batch_size: int = PYTHON_BATCH_SIZE) -> int:
    """Grade the given subjects at once, set-based (one statement per batch); 0 while no model is in force."""
    ids = sorted(set(subject_ids))
    model = EvaluationModel.objects.in_force(today=today)
    if not ids or model is None or not model.bands.exists():
        return 0  # nothing to grade with: the nightly job tells the administrator
    return sum(
        _grade_ids(ids=ids[start : start + batch_size], model=model, today=today)
        for start in range(0, len(ids), batch_size)
    )


# Subject ids waiting for the commit of the current transaction, per database connection (connections are
# per thread). A rolled-back transaction leaves its ids here; the next flush grades them too, which is harmless.
_PENDING_ATTRIBUTE = "_sanctions_regrade_pending"


def regrade_on_commit(subject_ids: Iterable[int]) -> None:
    """The one hook of issue 11's "at once": after the current transaction commits, regrade these subjects.

    Services call it inside their transaction whenever a subject's public record changes (penalties, list
    entries, commitments, repairs). Ids from every call in one transaction are graded together, in one task.
    """
    ids = {int(pk) for pk in subject_ids if pk is not None}
    if not ids:
        return
    connection = transaction.get_connection()
    pending = getattr(connection, _PENDING_ATTRIBUTE, None)
    if pending is None:
        pending = set()
        setattr(connection, _PENDING_ATTRIBUTE, pending)
    pending.update(ids)
    transaction.on_commit(partial(_flush, connection), robust=True)


def _flush(connection) -> None:
    """Send the accumulated ids to the grading task, in chunks a message can carry."""
    from . import tasks  # the tasks module imports these services

    pending = getattr(connection, _PENDING_ATTRIBUTE, None)
    if not pending:
        return  # an earlier callback of the same transaction sent them
    ids = sorted(pending)
    pending.clear()
    for start in range(0, len(ids), REGRADE_TASK_CHUNK):
        tasks.recompute_subject_grades.delay(ids[start : start + REGRADE_TASK_CHUNK])


REGRADE_TASK_CHUNK = 5000


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
