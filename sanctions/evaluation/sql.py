"""The grade recompute as one SQL statement per batch, on PostgreSQL (issue 11: 1,000,000 subjects in minutes).

The per-factor counts are grouped aggregates (one pass over each source table, joined by hash) instead of a
correlated subquery per subject and factor; score, reasons and grade are computed in SQL from the model's
weights and bands; ``INSERT … ON CONFLICT DO UPDATE`` writes only the grades that changed, and the history
rows of those whose grade, score or model changed, in the same statement. The filters of the counted records
are the ORM's own (``Penalty.objects.public()``, ``ListEntry.objects.public()``), compiled, so there is one
definition of "public". The Python path in ``services`` stays for other databases and gives the same rows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime

from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet

from disclosure.choices import RecordStatus, Severity
from disclosure.models import Penalty

from ..choices import EntryStatus, ListColor, RemovalReason
from ..commitments.choices import CommitmentStatus
from ..models import Commitment, EvaluationModel, GradeBand, ListEntry, SubjectGrade, SubjectGradeHistory
from .factors import FACTORS

Restrict = Callable[[QuerySet, str], QuerySet]


def _sources(*, today: date, restrict: Restrict) -> list[tuple[QuerySet, dict[str, str]]]:
    """The grouped count queries and, for each, which output column feeds which factor."""
    penalties = restrict(Penalty.objects.public(today=today), "subject_id")
    entries = restrict(ListEntry.objects.public(today=today), "subject_id")
    commitments = restrict(
        Commitment.objects.filter(status__in=[CommitmentStatus.BROKEN, CommitmentStatus.FULFILLED]), "subject_id"
    )
    repaired_entries = restrict(
        ListEntry.objects.filter(status=EntryStatus.REMOVED, removal_reason=RemovalReason.REPAIRED), "subject_id"
    )
    repaired_penalties = restrict(Penalty.objects.filter(status=RecordStatus.STOPPED_BY_REPAIR), "subject_id")

    def grouped(queryset: QuerySet, **counts) -> QuerySet:
        return queryset.order_by().values("subject_id").annotate(**counts)

    return [
        (
            grouped(
                penalties,
                n_minor=Count("pk", filter=Q(severity=Severity.MINOR)),
                n_general=Count("pk", filter=Q(severity=Severity.GENERAL)),
                n_serious=Count("pk", filter=Q(severity=Severity.SERIOUS)),
            ),
            {"n_minor": "penalty_minor", "n_general": "penalty_general", "n_serious": "penalty_serious"},
        ),
        (
            grouped(
                entries,
                n_black=Count("pk", filter=Q(list_type__color=ListColor.BLACK)),
                n_red=Count("pk", filter=Q(list_type__color=ListColor.RED)),
            ),
            {"n_black": "black_entry", "n_red": "red_entry"},
        ),
        (
            grouped(
                commitments,
                n_broken=Count("pk", filter=Q(status=CommitmentStatus.BROKEN)),
                n_fulfilled=Count("pk", filter=Q(status=CommitmentStatus.FULFILLED)),
            ),
            {"n_broken": "commitment_broken", "n_fulfilled": "commitment_fulfilled"},
        ),
        (grouped(repaired_entries, n_repair=Count("pk")), {"n_repair": "repair"}),
        (grouped(repaired_penalties, n_repair=Count("pk")), {"n_repair": "repair"}),
    ]


def _statement(
    *, model: EvaluationModel, bands: Sequence[GradeBand], today: date, now: datetime, subject_sql: str, restrict
) -> tuple[str, list]:
    """The whole batch as one statement: counts, score, reasons, grade, upsert of changes, history."""
    params: list = []
    joins, terms = [], {factor.code: [] for factor in FACTORS}
    for index, (queryset, columns) in enumerate(_sources(today=today, restrict=restrict)):
        sql, source_params = queryset.query.sql_with_params()
        alias = f"src{index}"
        joins.append(f"LEFT JOIN ({sql}) {alias} ON {alias}.subject_id = s.id")
        params += source_params
        for column, factor in columns.items():
            terms[factor].append(f"COALESCE({alias}.{column}, 0)")
    counts = ",\n".join(f"CAST({' + '.join(terms[f.code])} AS integer) AS {f.code}" for f in FACTORS)
    weights = [getattr(model, factor.weight_field) for factor in FACTORS]
    score = " + ".join(["%s"] + [f"c.{f.code} * %s" for f in FACTORS])
    values = ", ".join(f"({i}, %s::text, c.{f.code}, %s::int)" for i, f in enumerate(FACTORS))
    bands_sql = " ".join("WHEN sc.score >= %s THEN %s" for _band in bands[:-1])
    grade_table = connection.ops.quote_name(SubjectGrade._meta.db_table)
    history_table = connection.ops.quote_name(SubjectGradeHistory._meta.db_table)
    subject_table = connection.ops.quote_name("registry_subject")
    sql = f"""
WITH s AS (SELECT id FROM {subject_table} WHERE {subject_sql}),
c AS (
    SELECT s.id AS subject_id,
    {counts}
    FROM s
    {" ".join(joins)}
),
sc AS (
    SELECT c.subject_id, ({score})::int AS score,
        (SELECT COALESCE(jsonb_agg(jsonb_build_object('factor', f.code, 'count', f.n, 'points', f.n * f.w)
                                   ORDER BY f.ord), '[]'::jsonb)
         FROM (VALUES {values}) AS f(ord, code, n, w) WHERE f.n > 0) AS reasons
    FROM c
),
g AS (
    SELECT sc.subject_id, sc.score, sc.reasons, CASE {bands_sql} ELSE %s END AS grade FROM sc
),
changed AS (
    SELECT g.subject_id, g.score, g.grade, g.reasons,
        (old.subject_id IS NULL OR old.model_id <> %s OR old.score <> g.score OR old.grade <> g.grade) AS regraded
    FROM g LEFT JOIN {grade_table} old ON old.subject_id = g.subject_id
    WHERE old.subject_id IS NULL OR old.model_id <> %s OR old.score <> g.score OR old.grade <> g.grade
        OR old.reasons <> g.reasons
),
upserted AS (
    INSERT INTO {grade_table} (subject_id, model_id, score, grade, reasons, computed_at)
    SELECT subject_id, %s, score, grade, reasons, %s FROM changed
    ON CONFLICT (subject_id) DO UPDATE SET model_id = EXCLUDED.model_id, score = EXCLUDED.score,
        grade = EXCLUDED.grade, reasons = EXCLUDED.reasons, computed_at = EXCLUDED.computed_at
    RETURNING 1
),
history AS (
    INSERT INTO {history_table} (subject_id, model_id, score, grade, reasons, computed_at)
    SELECT subject_id, %s, score, grade, reasons, %s FROM changed WHERE regraded
    RETURNING 1
)
SELECT (SELECT count(*) FROM s), (SELECT count(*) FROM upserted), (SELECT count(*) FROM history)
"""
    params += [model.base_score, *weights]
    for factor, weight in zip(FACTORS, weights, strict=True):
        params += [factor.code, weight]
    for band in bands[:-1]:
        params += [band.min_score, band.symbol]
    params += [bands[-1].symbol, model.pk, model.pk, model.pk, now, model.pk, now]
    return sql, params


def _run(sql: str, params: list) -> tuple[int, int, int]:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        graded, written, history = cursor.fetchone()
    return graded, written, history


def recompute_all(*, model: EvaluationModel, bands: Sequence[GradeBand], today: date, now, batch_size: int) -> int:
    """Every subject, in ranges of ids of ``batch_size``: one statement and one transaction per range."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT MIN(id), MAX(id) FROM registry_subject")
        low, high = cursor.fetchone()
    if low is None:
        return 0
    done = 0
    for start in range(low - 1, high, batch_size):
        end = start + batch_size

        def restrict(queryset, column, start=start, end=end):
            return queryset.filter(**{f"{column}__gt": start, f"{column}__lte": end})

        sql, params = _statement(
            model=model,
            bands=bands,
            today=today,
            now=now,
            subject_sql="id > %s AND id <= %s",
            restrict=restrict,
        )
        done += _run(sql, [start, end, *params])[0]
    return done


def recompute_ids(*, model: EvaluationModel, bands: Sequence[GradeBand], today: date, now, ids: list[int]) -> int:
    """The given subjects in one statement (an id array parameter, whatever their number)."""
    from ..selectors import EqualsAny

    def restrict(queryset, column):
        return queryset.filter(EqualsAny(column, ids))

    sql, params = _statement(
        model=model, bands=bands, today=today, now=now, subject_sql="id = ANY(%s)", restrict=restrict
    )
    return _run(sql, [ids, *params])[0]


def aggregate_baseline(*, model: EvaluationModel, bands: Sequence[GradeBand], today: date) -> dict[str, int]:
    """The benchmark's baseline: every subject's factor counts (the recompute's own inputs) summed, nothing written."""
    statement, params = _statement(
        model=model,
        bands=bands,
        today=today,
        now=today,
        subject_sql="TRUE",
        restrict=lambda queryset, column: queryset,
    )
    counts = statement.split("\nsc AS (")[0].rstrip().rstrip(",")  # the "WITH s …, c …" part
    totals = f"{counts}\nSELECT {', '.join(f'SUM({factor.code})' for factor in FACTORS)} FROM c"
    with connection.cursor() as cursor:
        cursor.execute(totals, params[: counts.count("%s")])
        row = cursor.fetchone()
    return {factor.code: int(row[index] or 0) for index, factor in enumerate(FACTORS)}
