"""Reads of the portal's top layer: public subject profiles and search, issued reports (issue 8, DOMAIN §10).

Every public read goes through the owning app's public selector (``only()`` on public columns), so no personal
column leaves the database here either. The staff dashboards' aggregates live in ``dashboards.py``.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from disclosure import public_search
from disclosure.models import Licensing, Penalty
from registry import codes
from registry import search as registry_search
from registry import selectors as registry_selectors
from registry.choices import SubjectCategory
from registry.models import Subject
from sanctions import models as sanctions_models
from sanctions import selectors as sanctions_selectors
from sanctions.choices import ListColor
from sanctions.evaluation import selectors as evaluation_selectors
from sanctions.models import ListEntry

from .models import CreditReport

SEARCH_LIMIT = 50


def _count_of(queryset: QuerySet) -> Subquery:
    """A correlated COUNT per subject, so the search answers in one query whatever the number of rows."""
    counted = queryset.filter(subject_id=OuterRef("pk")).order_by().values("subject_id").annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n"), output_field=IntegerField()), Value(0))


def search_public_subjects(*, term: str, today=None) -> QuerySet[Subject]:
    """Subjects by exact code (indexed) or name characters, with their public record counts (DOMAIN §10, §13).

    Natural persons are left out: their name is shown masked, so it cannot be a search key either (as in 双公示).
    """
    term = (term or "").strip()
    if not term:
        return Subject.objects.none()
    today = today or timezone.localdate()
    subjects = registry_selectors.public_subjects().exclude(category=SubjectCategory.NATURAL_PERSON)
    if codes.looks_like_uscc(term):
        subjects = subjects.filter(uscc=codes.normalise(term))
    else:
        subjects = registry_search.name_contains(subjects, "name", term)
    return subjects.annotate(
        licensing_count=_count_of(Licensing.objects.public(today=today)),
        penalty_count=_count_of(Penalty.objects.public(today=today)),
        list_entry_count=_count_of(ListEntry.objects.public(today=today)),
    ).order_by("name", "pk")


def public_subject(*, key: str) -> Subject | None:
    """One subject by primary key or code, public columns only; None when there is none."""
    key = (key or "").strip()
    subjects = registry_selectors.public_subjects()
    if key.isdigit() and not codes.looks_like_uscc(key):
        return subjects.filter(pk=int(key)).first()
    if codes.looks_like_uscc(key):
        return subjects.filter(uscc=codes.normalise(key)).first()
    return None


@dataclass
class Honour:
    """A role-model title or a star-merchant rating held by the subject (DOMAIN §9)."""

    title: str
    awarding_body: str
    awarded: str
    detail: str = ""


@dataclass
class SubjectProfile:
    """Everything public about one subject, as the profile page and the credit report show it."""

    subject: Subject
    licensings: list = field(default_factory=list)
    penalties: list = field(default_factory=list)
    red_entries: list = field(default_factory=list)
    black_entries: list = field(default_factory=list)
    honours: list[Honour] = field(default_factory=list)
    commitments: list = field(default_factory=list)
    grade: dict | None = None  # 公共信用综合评价: grade, meaning, score and reasons (issue 11)

    @property
    def public_name(self) -> str:
        return self.subject.public_name

    @property
    def has_public_records(self) -> bool:
        return bool(self.licensings or self.penalties or self.red_entries or self.black_entries or self.honours)

    @property
    def is_public(self) -> bool:
        """A natural person is shown only through published records about them (DOMAIN §10)."""
        return self.has_public_records or not self.subject.is_natural_person

    @property
    def legal_representative(self) -> str:
        # DOMAIN §10: a natural person has no 法定代表人; the field is never shown for them.
        return "" if self.subject.is_natural_person else self.subject.legal_representative


def subject_profile(*, subject: Subject, today=None) -> SubjectProfile:
    """The subject's licences in force, penalties in publication, published list entries and honours."""
    today = today or timezone.localdate()
    licensings = list(public_search.public_licensings().filter(subject_id=subject.pk)[:200])
    penalties = list(public_search.public_penalties().filter(subject_id=subject.pk)[:200])
    entries = list(sanctions_selectors.public_list_entries(today=today).filter(subject_id=subject.pk)[:200])
    return SubjectProfile(
        subject=subject,
        licensings=licensings,
        penalties=penalties,
        red_entries=[entry for entry in entries if entry.list_type.color == ListColor.RED],
        black_entries=[entry for entry in entries if entry.list_type.color == ListColor.BLACK],
        honours=_honours(subject),
        commitments=_commitments(subject),
        grade=evaluation_selectors.public_grade(subject_id=subject.pk),
    )


def _commitments(subject: Subject) -> list:
    """信用承诺及其履行情况, where the sanctions app records them (issue 11); an empty list before it does."""
    model = getattr(sanctions_models, "Commitment", None)
    if model is None:
        return []
    fields = (
        "commitment_type",
        "matter",
        "commitment_date",
        "fulfil_by",
        "status",
        "resolved_date",
        "department__name",
    )
    return list(
        model.objects.public()
        .filter(subject_id=subject.pk)
        .select_related("department")
        .only(*fields)
        .order_by("-commitment_date", "-pk")[:50]
    )


def _honours(subject: Subject) -> list[Honour]:
    """Role models and star merchants that name the subject; the campaigns app is optional here."""
    try:
        from campaigns.models import RoleModel, StarMerchant
    except ImportError:  # pragma: no cover - the campaigns app removed
        return []
    match = Q(subject_id=subject.pk)
    if not subject.is_natural_person:
        # Older rows carry the name only; a person's name is never a key (DOMAIN §10).
        match |= Q(subject__isnull=True, name=subject.name)
    honours = [
        Honour(title=row.honour, awarding_body=row.awarding_body, awarded=f"{row.awarded_on:%Y-%m-%d}")
        for row in RoleModel.objects.public().filter(match).only("honour", "awarding_body", "awarded_on")[:50]
    ]
    honours += [
        Honour(
            title=str(StarMerchant._meta.verbose_name),
            awarding_body=row.awarding_body,
            awarded=str(row.review_year),
            detail="★" * row.stars,
        )
        for row in StarMerchant.objects.public().filter(match).only("stars", "review_year", "awarding_body")[:50]
    ]
    return honours


def issued_report(*, number: str, code: str) -> CreditReport | None:
    """The report with this number if the verification code matches too; a forged pair finds nothing."""
    number = (number or "").strip().upper()
    code = (code or "").strip().upper()
    if not number or not code:
        return None
    report = (
        CreditReport.objects.filter(number=number)
        .select_related("subject")
        .only("number", "verification_code", "generated_at", "sha256", *(f"subject__{f}" for f in _SUBJECT_FIELDS))
        .first()
    )
    if report is None or not hmac.compare_digest(report.verification_code, code):
        return None
    return report


_SUBJECT_FIELDS = ("id", "category", "name", "uscc")
