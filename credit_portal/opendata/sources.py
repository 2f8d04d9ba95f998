"""Where public changes come from, besides the outbox: objection steps and the grade history (issue 12).

Each source is a dated table its own app already writes in the same transaction as the change (the repair app's
``ApplicationStep``, the evaluation's ``SubjectGradeHistory``), read by id with its own cursor in ``FeedSyncState``.
Nothing goes through the exchange outbox: the upstream platform receives records and list entries only (DOMAIN §12),
and the nightly grade recompute stays one statement per batch.

A reader returns raw rows (``pk`` and ``at``, the time of the change) in id order, and ``build`` turns the rows the
sync takes into unsaved ``ChangeEvent`` objects, or None for a row the public never sees. Summaries hold public
fields only: a natural person's name masked, their code blank, nothing about the applicant (DOMAIN §10).
"""

from __future__ import annotations

from django.db import OperationalError, connection, transaction
from django.db.models import F, OuterRef, Subquery

from credit_portal import masking
from disclosure.choices import InfoScope
from registry.choices import SubjectCategory
from repair.choices import ApplicationKind, TargetKind
from repair.models import ApplicationStep
from sanctions.models import SubjectGradeHistory

from .choices import ChangeAction, ChangeKind, ChangeSource
from .models import ChangeEvent

NATURAL_PERSON = SubjectCategory.NATURAL_PERSON

# --- objections (DOMAIN §8) ------------------------------------------------------------------------------------

# The steps that open and close an objection: filed (the record shows "异议处理中" at once), refused or closed.
# A closed objection's summary says how it ended: "refused" (不予受理) or the answer (repair.choices.ObjectionOutcome).
OBJECTION_REFUSED = "refused"
OBJECTION_ACTIONS = {
    "submitted": ChangeAction.OBJECTION_OPENED,
    "refused": ChangeAction.OBJECTION_CLOSED,
    "closed": ChangeAction.OBJECTION_CLOSED,
}
RECORD_FIELDS = (
    "id",
    "subject_name",
    "subject_category",
    "uscc",
    "document_number",
    "decision_date",
    "authority_name",
    "department__name",
    "info_scope",
    "is_publishable",
)
ENTRY_FIELDS = (
    "id",
    "subject__name",
    "subject__category",
    "subject__uscc",
    "list_type__code",
    "list_type__name",
    "list_type__color",
    "decision_document_number",
    "decision_date",
    "department__name",
)


def objection_steps(*, after: int, limit: int) -> list[dict]:
    """Objection steps that open or close one, after id ``after``, with what the objection is about (one query).

    Only the target's public columns are read: never the applicant's name, phone, e-mail or statement.
    """
    columns = ["pk", "at", "action", "application__target_kind", "application__answer_outcome"]
    for target, fields in (("penalty", RECORD_FIELDS), ("licensing", RECORD_FIELDS), ("list_entry", ENTRY_FIELDS)):
        columns += [f"application__{target}__{name}" for name in fields]
    return list(
        ApplicationStep.objects.filter(
            pk__gt=after, application__kind=ApplicationKind.OBJECTION, action__in=list(OBJECTION_ACTIONS)
        )
        .order_by("pk")
        .values(*columns)[:limit]
    )


def objection_events(rows: list[dict]) -> list[ChangeEvent | None]:
    """The public change each step stands for: the target's kind and id, its document number, the subject."""
    return [_objection_event(row) for row in rows]


def _objection_event(row: dict) -> ChangeEvent | None:
    kind = row["application__target_kind"]
    target = {key.split("__", 2)[2]: value for key, value in row.items() if key.startswith(f"application__{kind}__")}
    if target.get("id") is None:
        return None
    if kind == TargetKind.LIST_ENTRY:
        summary = {
            "subject_name": target["subject__name"],
            "subject_category": target["subject__category"],
            "uscc": target["subject__uscc"] or "",
            "list_type": target["list_type__code"],
            "list_type_name": target["list_type__name"],
            "list_color": target["list_type__color"],
            "decision_document_number": target["decision_document_number"],
            "decision_date": _iso(target["decision_date"]),
            "source_department": target["department__name"],
        }
    else:
        if target["info_scope"] != InfoScope.PUBLIC or not target["is_publishable"]:
            return None  # 内部共享 / 授权查询 and unpublishable records never reach the public (DOMAIN §3)
        summary = {
            "subject_name": target["subject_name"],
            "subject_category": target["subject_category"],
            "uscc": target["uscc"] or "",
            "document_number": target["document_number"],
            "decision_date": _iso(target["decision_date"]),
            "authority_name": target["authority_name"],
            "source_department_name": target["department__name"],
        }
    action = OBJECTION_ACTIONS[row["action"]]
    summary["is_under_objection"] = action == ChangeAction.OBJECTION_OPENED
    if action == ChangeAction.OBJECTION_CLOSED:
        # How it ended (DOMAIN §8): not accepted, or the source department's answer. A correction or withdrawal it
        # led to is an event of its own, before this one.
        summary["objection_outcome"] = (
            OBJECTION_REFUSED if row["action"] == "refused" else row["application__answer_outcome"] or ""
        )
    deidentify(summary)
    return ChangeEvent(
        source=ChangeSource.OBJECTION,
        source_event_id=row["pk"],
        occurred_at=row["at"],
        kind=kind,
        action=action,
        object_id=target["id"],
        uscc=summary["uscc"],
        summary=summary,
    )


# --- public credit grades (issue 11) -------------------------------------------------------------------------

# How long the sync waits for grade writers in flight before leaving the grades to its next run.
GRADE_LOCK_TIMEOUT = "2s"


def grade_watermark() -> int | None:
    """The highest grade-history id below which every row is committed, or None when ids commit in order anyway.

    The lag rule of the outbox does not fit the grade history: a nightly batch is one statement over up to 100,000
    subjects that can run longer than the lag, and its rows carry the time the recompute started. On PostgreSQL a
    SHARE lock on the table waits until every transaction that inserted into it has ended (an INSERT holds ROW
    EXCLUSIVE until its commit, and takes its ids while holding it), so every id up to the maximum read then is
    committed or gone. The lock is held until the sync commits; if writers keep it longer than GRADE_LOCK_TIMEOUT,
    this run leaves the grades alone (0) and the next one takes them. SQLite has one writer at a time.
    """
    if connection.vendor != "postgresql":
        return None
    table = connection.ops.quote_name(SubjectGradeHistory._meta.db_table)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{GRADE_LOCK_TIMEOUT}'")
            cursor.execute(f"LOCK TABLE {table} IN SHARE MODE")
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            (highest,) = cursor.fetchone()
            cursor.execute("SET LOCAL lock_timeout TO DEFAULT")
    except OperationalError:  # lock_not_available: a long grade batch is being written
        return 0
    return highest


def grade_history(*, after: int, limit: int, upto: int | None) -> list[dict]:
    """Grade-history rows after id ``after`` (up to ``upto``), each with the subject's grade before it (one query)."""
    previous = (
        SubjectGradeHistory.objects.filter(subject_id=OuterRef("subject_id"), pk__lt=OuterRef("pk"))
        .order_by("-pk")
        .values("grade")[:1]
    )
    rows = SubjectGradeHistory.objects.filter(pk__gt=after)
    if upto is not None:
        rows = rows.filter(pk__lte=upto)
    return list(
        rows.order_by("pk")
        .annotate(at=F("computed_at"), previous_grade=Subquery(previous))
        .values(
            "pk",
            "at",
            "subject_id",
            "grade",
            "previous_grade",
            "score",
            "model__version",
            "subject__name",
            "subject__category",
            "subject__uscc",
        )[:limit]
    )


def grade_events(rows: list[dict]) -> list[ChangeEvent | None]:
    """A change for each row whose grade differs from the subject's previous one.

    A score change within the same grade, a new model version giving the same grade, and a subject's first grade are
    not grade changes. Natural persons are left out: their grade is public only on a profile page while they have
    published records, never by a code (DOMAIN §10), and a masked name with no code tells a reader nothing.
    """
    return [_grade_event(row) for row in rows]


def _grade_event(row: dict) -> ChangeEvent | None:
    if row["previous_grade"] is None or row["previous_grade"] == row["grade"]:
        return None
    if row["subject__category"] == NATURAL_PERSON:
        return None
    summary = {
        "subject_name": row["subject__name"],
        "subject_category": row["subject__category"],
        "uscc": row["subject__uscc"] or "",
        "old_grade": row["previous_grade"],
        "new_grade": row["grade"],
        "score": row["score"],
        "model_version": row["model__version"],
        "evaluated_at": row["at"].isoformat(),
    }
    return ChangeEvent(
        source=ChangeSource.GRADE,
        source_event_id=row["pk"],
        occurred_at=row["at"],
        kind=ChangeKind.GRADE,
        action=ChangeAction.GRADE_CHANGED,
        object_id=row["subject_id"],
        uscc=summary["uscc"],
        summary=summary,
    )


# --- shared ----------------------------------------------------------------------------------------------------


def deidentify(summary: dict) -> None:
    """A natural person's name masked and code blank, as the outbox summaries have them (DOMAIN §10)."""
    if summary.get("subject_category") == NATURAL_PERSON:
        summary["subject_name"] = masking.mask_name(summary.get("subject_name") or "")
        summary["uscc"] = ""


def _iso(value) -> str | None:
    return value.isoformat() if value else None
