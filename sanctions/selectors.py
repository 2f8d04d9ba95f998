"""Every non-trivial read of the sanctions app, with its joins (STYLE §2.6)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from credit_portal import access
from credit_portal.db import EqualsAny, InUnnest
from registry import codes as subject_codes
from registry.models import Department, Subject, User

from .choices import CheckItemStatus, EntryStatus, FeedbackOutcome, ListColor
from .errors import ErrorCode
from .models import (
    PUBLIC_ENTRY_FIELDS,
    CreditCheck,
    CreditCheckItem,
    ListEntry,
    ListType,
    Measure,
    MeasureFeedback,
)

UNKNOWN_SUBJECT_MESSAGE = _("本平台未登记该统一社会信用代码的主体，请核对代码或按未登记主体处理。")
PENALTY_BRIEF_LIMIT = 3  # penalties listed per subject in a check answer; the count covers all


def public_list_entries(*, today: date | None = None) -> QuerySet[ListEntry]:
    """Published, current entries for visitors; the subject's personal columns are never selected (DOMAIN §10).

    ``is_under_objection``: an objection against the entry is open, so pages show "异议处理中" (DOMAIN §8).
    """
    return (
        ListEntry.objects.public(today=today)
        .select_related("list_type", "department", "subject")
        .only(*PUBLIC_ENTRY_FIELDS)
        .annotate(is_under_objection=_open_objection())
        .order_by("-published_at", "-pk")
    )


def _open_objection() -> Exists:
    """Whether an open objection names the entry; the repair app owns objections and is asked lazily."""
    from repair.selectors import list_entries_under_objection

    return Exists(list_entries_under_objection().filter(list_entry_id=OuterRef("pk")))


def list_entries_for_staff(*, user: User) -> QuerySet[ListEntry]:
    """Entries the user may see, with what list and detail views show."""
    return (
        ListEntry.objects.visible_to(user)
        .select_related("list_type", "department", "subject", "proposed_by")
        .order_by("-created_at", "-pk")
    )


def credit_checks_for(*, user: User) -> QuerySet[CreditCheck]:
    """The checks the user may see: their department's, or all for the credit office."""
    return CreditCheck.objects.visible_to(user).select_related("by", "department")


def check_items(*, check: CreditCheck) -> QuerySet[CreditCheckItem]:
    return check.items.select_related("subject").prefetch_related("feedback").order_by("position")


@dataclass(frozen=True)
class Catalogue:
    """The active measures with their list types and departments, read once per check (three queries)."""

    measures: dict[int, Measure]
    list_types_of: dict[int, set[int]]
    departments_of: dict[int, set[int]]

    def by_list_type(self, *, department_id: int, matter: str) -> dict[int, list[Measure]]:
        """Measures this department must or may apply for this matter, by triggering list type (DOMAIN §7).

        A measure with no district departments set applies to every department whose matter it names.
        """
        chosen: dict[int, list[Measure]] = defaultdict(list)
        for measure_id, measure in self.measures.items():
            if matter not in (measure.matters or []):
                continue
            departments = self.departments_of.get(measure_id)
            if departments and department_id not in departments:
                continue
            for list_type_id in self.list_types_of.get(measure_id, ()):
                chosen[list_type_id].append(measure)
        return dict(chosen)


def measure_catalogue() -> Catalogue:
    """Read the measure catalogue whole: it is small and every check needs it."""
    measures = {measure.pk: measure for measure in Measure.objects.filter(is_active=True).order_by("code")}
    list_types_of: dict[int, set[int]] = defaultdict(set)
    for measure_id, list_type_id in ListType.measures.through.objects.filter(listtype__is_active=True).values_list(
        "measure_id", "listtype_id"
    ):
        list_types_of[measure_id].add(list_type_id)
    departments_of: dict[int, set[int]] = defaultdict(set)
    for measure_id, department_id in Measure.departments.through.objects.values_list("measure_id", "department_id"):
        departments_of[measure_id].add(department_id)
    return Catalogue(measures=measures, list_types_of=dict(list_types_of), departments_of=dict(departments_of))


def _penalties_in_publication(subject_ids: Sequence[int], today: date) -> dict[int, list[dict]]:
    """Published penalties of these subjects, grouped by subject, in one query (DOMAIN §5)."""
    try:
        from disclosure.models import Penalty  # the disclosure app may land later; the check works without it
    except ImportError:
        return {}
    grouped: dict[int, list[dict]] = defaultdict(list)
    rows = (
        Penalty.objects.public(today=today)
        .filter(EqualsAny("subject_id", subject_ids))
        .order_by()
        .values("subject_id", "pk", "document_number", "decision_date", "department__name")
    )
    # Latest first per subject; sorted here, the database need not sort the whole batch.
    for row in sorted(rows, key=lambda row: (row["decision_date"], row["pk"]), reverse=True):
        grouped[row["subject_id"]].append(
            {
                "id": row["pk"],
                "document_number": row["document_number"],
                "decision_date": row["decision_date"].isoformat() if row["decision_date"] else None,
                "department": row["department__name"],
            }
        )
    return grouped


def _current_hits(subject_ids: Sequence[int], today: date) -> dict[int, list[dict]]:
    """Published list entries in validity of these subjects, grouped by subject, in one query."""
    grouped: dict[int, list[dict]] = defaultdict(list)
    rows = (
        ListEntry.objects.public(today=today)
        .filter(EqualsAny("subject_id", subject_ids))
        .order_by()
        .values(
            "subject_id",
            "pk",
            "list_type_id",
            "list_type__code",
            "list_type__name",
            "list_type__color",
            "valid_from",
            "valid_to",
            "decision_document_number",
            "department__name",
        )
    )
    for row in sorted(rows, key=lambda row: (row["list_type__color"], row["valid_from"], row["pk"])):
        grouped[row["subject_id"]].append(
            {
                "entry_id": row["pk"],
                "list_type_id": row["list_type_id"],
                "list_type": row["list_type__code"],
                "list_type_name": row["list_type__name"],
                "color": row["list_type__color"],
                "color_label": str(ListColor(row["list_type__color"]).label),
                "valid_from": row["valid_from"].isoformat() if row["valid_from"] else None,
                "valid_to": row["valid_to"].isoformat() if row["valid_to"] else None,
                "decision_document_number": row["decision_document_number"],
                "department": row["department__name"],
            }
        )
    return grouped


def _measure_dict(measure: Measure, triggering: list[int]) -> dict:
    return {
        "id": measure.pk,
        "code": measure.code,
        "name": measure.name,
        "measure_class": measure.measure_class,
        "kind": measure.kind,
        "obligation": measure.obligation,
        "obligation_label": str(measure.get_obligation_display()),
        "legal_basis": measure.legal_basis,
        "applying_authority": measure.applying_authority,
        "list_type_ids": triggering,
    }


def check_results(
    *, department: Department, matter: str, codes: Sequence[str], today: date | None = None
) -> list[dict]:
    """One result per code, in order; a constant number of queries whatever the batch size (DOMAIN §7).

    One query per table with ``__in`` (subjects, list entries, penalties) plus the catalogue, grouped in Python.
    """
    today = today or timezone.localdate()
    normalised = [subject_codes.normalise(str(code)) for code in codes]
    subjects: dict[str, tuple] = {}
    wanted = {code for code in normalised if len(code) == 18}
    if wanted:
        # No ORDER BY: the registry's default ordering (by name) would sort thousands of rows for nothing.
        rows = (
            Subject.objects.filter(InUnnest("uscc", wanted)).order_by().values_list("uscc", "id", "name", "category")
        )
        subjects = {row[0]: row for row in rows}
    subject_ids = [row[1] for row in subjects.values()]
    hits = _current_hits(subject_ids, today) if subject_ids else {}
    penalties = _penalties_in_publication(subject_ids, today) if subject_ids else {}
    # issue 11: the public credit grade (with the supervision suggestion) and commitments, in two more queries.
    from .commitments.selectors import commitment_counts
    from .evaluation.selectors import grades_for_check

    grades = grades_for_check(subject_ids) if subject_ids else {}
    commitments = commitment_counts(subject_ids) if subject_ids else {}
    measures_for = measure_catalogue().by_list_type(department_id=department.pk, matter=matter)
    results = []
    measure_cache: dict[int, dict] = {}
    for position, (raw, code) in enumerate(zip(codes, normalised, strict=True)):
        row = subjects.get(code)
        if row is None:
            results.append(_not_found(position, raw))
            continue
        _uscc, subject_id, name, category = row
        subject_hits = hits.get(subject_id, [])
        subject_penalties = penalties.get(subject_id, [])
        measures = _measures_for_hits(subject_hits, measures_for, measure_cache) if subject_hits else []
        results.append(
            {
                "position": position,
                "query": raw,
                "status": CheckItemStatus.FOUND,
                "subject": {"id": subject_id, "name": name, "uscc": code, "category": category},
                "errors": [],
                "has_hits": bool(subject_hits or subject_penalties),
                "list_hits": subject_hits,
                "penalties": {"count": len(subject_penalties), "items": subject_penalties[:PENALTY_BRIEF_LIMIT]},
                "measures": measures,
                "credit_grade": grades.get(subject_id),
                "commitments": commitments.get(subject_id, {}),
            }
        )
    return results


def _not_found(position: int, raw: str) -> dict:
    """A code that matches no subject: malformed (which rule failed) or well-formed but not registered."""
    # Only codes missing from the registry are validated: a registered code was validated when it was filed.
    check = subject_codes.validate_uscc(str(raw))
    if check.valid:
        status = CheckItemStatus.UNKNOWN
        errors = [{"field": "subjects", "code": ErrorCode.UNKNOWN_SUBJECT, "message": str(UNKNOWN_SUBJECT_MESSAGE)}]
    else:
        status = CheckItemStatus.INVALID
        errors = [
            {"field": "subjects", "code": ErrorCode.INVALID_CODE, "message": str(error.message)}
            for error in check.errors
        ]
    return {
        "position": position,
        "query": raw,
        "status": status,
        "subject": None,
        "errors": errors,
        "has_hits": False,
        "list_hits": [],
        "penalties": {"count": 0, "items": []},
        "measures": [],
    }


def _measures_for_hits(
    subject_hits: list[dict], measures_for: dict[int, list[Measure]], cache: dict[int, dict] | None = None
) -> list[dict]:
    """The measures the subject's list types trigger, each once, with the list types that trigger it.

    ``cache`` keeps each measure's fields (and its translated label) for the rest of a batch.
    """
    triggering: dict[int, list[int]] = {}
    chosen: dict[int, Measure] = {}
    for hit in subject_hits:
        for measure in measures_for.get(hit["list_type_id"], ()):
            chosen[measure.pk] = measure
            triggering.setdefault(measure.pk, []).append(hit["list_type_id"])
    if cache is None:
        cache = {}
    measures = []
    for pk, measure in sorted(chosen.items(), key=lambda item: item[1].code):
        if pk not in cache:
            cache[pk] = _measure_dict(measure, [])
        measures.append({**cache[pk], "list_type_ids": sorted(set(triggering[pk]))})
    return measures


def snapshot(result: dict) -> dict:
    """What a check item keeps of its result (DOMAIN §7: every check is recorded with its answer); empty parts left out."""
    kept = {
        "subject_name": result["subject"]["name"] if result["subject"] else "",
        "errors": result["errors"],
        "list_hits": result["list_hits"],
        "penalties": result["penalties"] if result["penalties"]["count"] else None,
        "measures": [
            {key: measure[key] for key in ("id", "code", "name", "obligation", "kind", "list_type_ids")}
            for measure in result["measures"]
        ],
        "credit_grade": result.get("credit_grade"),
        "commitments": result.get("commitments"),
    }
    return {key: value for key, value in kept.items() if value}


def feedback_statistics(*, user: User, since: date | None = None, until: date | None = None) -> dict[str, list[dict]]:
    """联合奖惩反馈统计: applied and not applied by department, by measure and by list type (DOMAIN §7)."""
    rows = MeasureFeedback.objects.visible_to(user)
    if since:
        rows = rows.filter(at__date__gte=since)
    if until:
        rows = rows.filter(at__date__lte=until)
    counts = {
        "applied": Count("pk", filter=Q(outcome=FeedbackOutcome.APPLIED)),
        "not_applied": Count("pk", filter=Q(outcome=FeedbackOutcome.NOT_APPLIED)),
        "total": Count("pk"),
    }
    by_department = (
        rows.values("item__check_record__department_id", "item__check_record__department__name")
        .annotate(**counts)
        .order_by("item__check_record__department__name")
    )
    by_measure = (
        rows.values("measure_id", "measure__code", "measure__name").annotate(**counts).order_by("measure__code")
    )
    by_list_type = rows.values("list_type_id", "list_type__name").annotate(**counts).order_by("list_type__name")
    return {
        "departments": [
            {
                "id": row["item__check_record__department_id"],
                "name": row["item__check_record__department__name"],
                "applied": row["applied"],
                "not_applied": row["not_applied"],
                "total": row["total"],
            }
            for row in by_department
        ],
        "measures": [
            {
                "id": row["measure_id"],
                "code": row["measure__code"],
                "name": row["measure__name"],
                "applied": row["applied"],
                "not_applied": row["not_applied"],
                "total": row["total"],
            }
            for row in by_measure
        ],
        "list_types": [
            {
                "id": row["list_type_id"],
                "name": row["list_type__name"] or "—",
                "applied": row["applied"],
                "not_applied": row["not_applied"],
                "total": row["total"],
            }
            for row in by_list_type
        ],
    }


def entry_counts_by_status() -> dict[str, int]:
    """Entries per status, for the staff overview."""
    return dict(ListEntry.objects.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))


def staff_home_blocks(*, user: User, today: date) -> list[dict]:
    """The 红黑名单 and 信用核查 block of the staff start page (/work/notes/url-names.md)."""
    from django.urls import reverse

    role = access.role_of(user)
    entries = ListEntry.objects.visible_to(user)
    base = reverse("sanctions-entries")
    if role == access.Role.CLERK:
        counts = entries.aggregate(
            proposed=Count("pk", filter=Q(status=EntryStatus.PROPOSED)),
            waiting=Count("pk", filter=Q(status=EntryStatus.NOTICE_SERVED, statement_due_date__gte=today)),
        )
        items = [
            {"label": str(_("待送达告知书")), "count": counts["proposed"], "url": f"{base}?status=proposed"},
            {"label": str(_("陈述申辩期内")), "count": counts["waiting"], "url": f"{base}?status=notice_served"},
            {"label": str(_("信用核查")), "count": None, "url": reverse("sanctions-credit-check")},
        ]
        return [{"title": str(_("红黑名单与信用核查")), "items": items, "roles": [access.Role.CLERK]}]
    counts = entries.aggregate(
        to_decide=Count(
            "pk",
            filter=Q(status=EntryStatus.STATEMENT_RECORDED)
            | Q(status=EntryStatus.NOTICE_SERVED, statement_due_date__lt=today),
        ),
        to_publish=Count(
            "pk",
            filter=Q(status=EntryStatus.DECIDED)
            | Q(status=EntryStatus.PUBLIC_NOTICE, public_notice_end_date__lt=today),
        ),
    )
    items = [
        {"label": str(_("待作出列入决定")), "count": counts["to_decide"], "url": f"{base}?status=statement_recorded"},
        {"label": str(_("待公开")), "count": counts["to_publish"], "url": f"{base}?status=decided"},
        {"label": str(_("联合奖惩反馈统计")), "count": None, "url": reverse("sanctions-statistics")},
    ]
    return [{"title": str(_("红黑名单")), "items": items, "roles": [access.Role.REVIEWER, access.Role.ADMIN]}]
