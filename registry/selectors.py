"""Reads of the subject registry: public columns only for visitors, scoped querysets for staff, the 重错码率 report."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from credit_portal import access

from . import codes, search
from .choices import SubjectCategory
from .models import PUBLIC_SUBJECT_FIELDS, Department, Subject

PUBLIC_DEPARTMENT_FIELDS = ("id", "name", "short_name", "uscc", "kind")


def public_subjects() -> QuerySet[Subject]:
    """Subjects as visitors may read them: personal columns are never selected (DOMAIN §10)."""
    return Subject.objects.only(*PUBLIC_SUBJECT_FIELDS)


def public_departments() -> QuerySet[Department]:
    """Active departments for the public list (DOMAIN §11)."""
    return Department.objects.active().only(*PUBLIC_DEPARTMENT_FIELDS).order_by("name")


def subjects_for_staff(user) -> QuerySet[Subject]:
    """Subjects a staff member may see, with the filing department joined."""
    return Subject.objects.visible_to(user).select_related("created_by_department").defer("id_number_encrypted")


def search_subjects(queryset: QuerySet[Subject], term: str) -> QuerySet[Subject]:
    """Exact code or ID-number match on the indexed columns, else name characters (DOMAIN §13)."""
    term = (term or "").strip()
    if not term:
        return queryset
    if codes.looks_like_uscc(term):
        number = codes.normalise_id_number(term)
        if codes.validate_id_number(number).valid:  # 18 characters: could be either
            return queryset.filter(Q(uscc=codes.normalise(term)) | Q(id_number_hash=_hash(number)))
        return queryset.filter(uscc=codes.normalise(term))
    normalised = codes.normalise(term)
    if normalised.isdigit() and len(normalised) in (13, 15):  # 工商注册号
        return queryset.filter(registration_number=normalised)
    return search.name_contains(queryset, "name", term)


def _hash(number: str) -> str:
    from credit_portal import crypto

    return crypto.keyed_hash(number)


def subject_history(subject: Subject) -> QuerySet:
    """The subject's change history, newest first, with who made each change."""
    return subject.history.select_related("history_user").order_by("-history_date", "-history_id")


@dataclass(frozen=True)
class CodeQualityRow:
    """One department's line of the 重错码率 report (DOMAIN §2)."""

    department: Department
    total: int
    invalid: int
    duplicate: int
    wrong_or_duplicate: int

    @property
    def rate(self) -> Decimal:
        if not self.total:
            return Decimal(0)
        return Decimal(self.wrong_or_duplicate) / Decimal(self.total)

    @property
    def percent(self) -> Decimal:
        return (self.rate * 100).quantize(Decimal("0.001"))

    @property
    def meets_target(self) -> bool:
        return self.rate < code_quality_target()


def code_quality_target() -> Decimal:
    """The district plan's ceiling for the share of wrong or duplicate codes (default 0.1%, a setting)."""
    return Decimal(str(getattr(settings, "CODE_QUALITY_TARGET", "0.001")))


def _invalid_subject_ids() -> dict[int, set[int]]:
    """Subjects with a code failing GB 32100, or without code and without the placeholder's 工商注册号."""
    bad: dict[int, set[int]] = defaultdict(set)
    organisations = Subject.objects.exclude(category=SubjectCategory.NATURAL_PERSON).filter(
        created_by_department__isnull=False
    )
    rows = organisations.values_list("pk", "created_by_department_id", "category", "uscc", "registration_number")
    for pk, department_id, category, code, registration_number in rows.iterator(chunk_size=5000):
        if code:
            if not codes.is_valid_uscc(code):
                bad[department_id].add(pk)
        elif not (category == SubjectCategory.INDIVIDUAL_BUSINESS and registration_number):
            bad[department_id].add(pk)
    return bad


def _duplicate_subject_ids() -> dict[int, set[int]]:
    """Subjects sharing a name, or a 工商注册号, with a subject of a different code."""
    bad: dict[int, set[int]] = defaultdict(set)
    organisations = Subject.objects.exclude(category=SubjectCategory.NATURAL_PERSON)
    names = (
        organisations.values("name")
        .annotate(codes=Count("uscc", distinct=True), rows=Count("pk"))
        .filter(Q(codes__gt=1) | Q(rows__gt=1, codes__gte=1))
        .values("name")
    )
    registrations = (
        organisations.exclude(registration_number="")
        .values("registration_number")
        .annotate(codes=Count("uscc", distinct=True), rows=Count("pk"))
        .filter(Q(codes__gt=1) | Q(rows__gt=1, codes__gte=1))
        .values("registration_number")
    )
    duplicates = organisations.filter(created_by_department__isnull=False).filter(
        Q(name__in=names) | Q(registration_number__in=registrations)
    )
    for pk, department_id in duplicates.values_list("pk", "created_by_department_id").iterator(chunk_size=5000):
        bad[department_id].add(pk)
    return bad


def code_quality_by_department(*, departments: QuerySet[Department] | None = None) -> list[CodeQualityRow]:
    """重错码率 per department over the subjects it filed: wrong codes and duplicates, target < 0.1% (DOMAIN §2).

    Wrong: a code failing any GB 32100 rule, or a legal entity / business with no code at all (the placeholder
    with a 工商注册号 is legitimate). Duplicate: the same name, or the same 工商注册号, under different codes
    (a subject with a code and one without count as different codes). Natural persons have no code.
    """
    departments = departments if departments is not None else Department.objects.all()
    # The scan reads every organisation (seconds at a million rows): kept in the cache until any subject changes.
    state = Subject.objects.aggregate(rows=Count("pk"), changed=Max("updated_at"))
    key = f"registry:code-quality:{state['rows']}:{state['changed'].isoformat() if state['changed'] else ''}"
    counts = cache.get(key)
    if counts is None:
        counts = _code_quality_counts()
        cache.set(key, counts, 3600)
    return [
        CodeQualityRow(department=department, **counts.get(department.pk, EMPTY_COUNTS))
        for department in departments.order_by("name")
    ]


EMPTY_COUNTS = {"total": 0, "invalid": 0, "duplicate": 0, "wrong_or_duplicate": 0}


def _code_quality_counts() -> dict[int, dict[str, int]]:
    """Per department id: organisations filed, wrong codes, duplicates, and subjects that are either."""
    totals = dict(
        Subject.objects.exclude(category=SubjectCategory.NATURAL_PERSON)
        .filter(created_by_department__isnull=False)
        .values_list("created_by_department")
        .annotate(total=Count("pk"))
        .values_list("created_by_department", "total")
    )
    invalid = _invalid_subject_ids()
    duplicate = _duplicate_subject_ids()
    return {
        department_id: {
            "total": total,
            "invalid": len(invalid.get(department_id, ())),
            "duplicate": len(duplicate.get(department_id, ())),
            "wrong_or_duplicate": len(invalid.get(department_id, set()) | duplicate.get(department_id, set())),
        }
        for department_id, total in totals.items()
    }


def staff_home_blocks(*, user, today) -> list[dict]:
    """Links of the registry on the staff start page."""
    items = [{"label": str(_("主体查询")), "count": None, "url": reverse("subject-search")}]
    if access.sees_all_departments(user):
        items.append({"label": str(_("重错码率")), "count": None, "url": reverse("code-quality")})
    return [{"title": str(_("主体登记")), "items": items, "roles": ["clerk", "reviewer", "admin"]}]
