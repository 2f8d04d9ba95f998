"""Public 双公示 search: what visitors may read, and the filters the public pages and API share (DOMAIN §10, §13).

Only published, publishable records in their period are read (``RecordQuerySet.public``), and only the columns
listed here: the ID-number columns (encrypted or masked) never leave the database on a public read.
"""

from __future__ import annotations

import re

import django_filters

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from credit_portal import prepared
from credit_portal.api.filters import StaticFormFilterSet
from registry import codes, search
from registry.choices import SubjectCategory
from registry.models import Department

from .choices import LicenceCategory, PenaltyCategory, Severity
from .models import PUBLIC_COMMON_FIELDS, Licensing, Penalty

PUBLIC_PENALTY_FIELDS = (
    *PUBLIC_COMMON_FIELDS,
    "violation_type",
    "violation_facts",
    "legal_basis",
    "penalty_categories",
    "fine_amount",
    "confiscated_amount",
    "licence_name_and_number",
    "penalty_valid_to",
    "severity",
)
PUBLIC_LICENSING_FIELDS = (
    *PUBLIC_COMMON_FIELDS,
    "decision_document_name",
    "licence_category",
    "licence_name",
    "licence_number",
    "valid_from",
    "valid_to",
    "current_state",
)
# Fewer columns for result lists: long texts are read on the detail page only.
LIST_EXCLUDED = ("violation_facts", "legal_basis", "remarks", "content")

OBJECTION_NOTE = _("异议处理中")

# A resident ID number typed into a free-text field by mistake is hidden whole before it is shown (DOMAIN §10).
_ID_NUMBER_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


def scrub_text(text: str) -> str:
    """Free text as the public may see it: anything shaped like an ID number replaced by asterisks."""
    return _ID_NUMBER_IN_TEXT.sub("*" * 18, text or "")


def public_penalties(*, detail: bool = False) -> QuerySet[Penalty]:
    """Published penalties in their period, with their department, personal columns never selected."""
    return _public_records(Penalty, PUBLIC_PENALTY_FIELDS, detail=detail)


def public_licensings(*, detail: bool = False) -> QuerySet[Licensing]:
    """Licences shown while valid (DOMAIN §5), with their department, personal columns never selected."""
    return _public_records(Licensing, PUBLIC_LICENSING_FIELDS, detail=detail)


# The public querysets of the day, built once per process and cloned per request (building one, with its 30-odd
# deferred columns, costs about a third of a millisecond; a clone a tenth of that). Never evaluated themselves.
_public_querysets: dict[tuple, QuerySet] = {}


def _public_records(model, public_fields: tuple[str, ...], *, detail: bool) -> QuerySet:
    today = timezone.localdate()
    key = (model, detail, today)
    queryset = _public_querysets.get(key)
    if queryset is None:
        for stale in [cached for cached in list(_public_querysets) if cached[2] != today]:  # a new day
            _public_querysets.pop(stale, None)
        fields = public_fields if detail else tuple(f for f in public_fields if f not in LIST_EXCLUDED)
        queryset = (
            model.objects.public(today=today)
            .select_related("department")
            .only(*fields)
            .order_by("-decision_date", "-pk")
        )
        _public_querysets[key] = queryset
    return queryset.all()


def filter_name_or_code(queryset: QuerySet, value: str) -> QuerySet:
    """A code goes to the indexed column by exact match; anything else is a name search (DOMAIN §13)."""
    value = (value or "").strip()
    if not value:
        return queryset
    if codes.looks_like_uscc(value):
        return queryset.filter(uscc=codes.normalise(value))
    # DOMAIN §13: on PostgreSQL the partial trigram and character-gram indexes of disclosure 0003 serve this
    # (registry.search.name_contains). Exact code lookups above never take this path.
    # DOMAIN §10: a natural person's name is shown masked, so it is not a search key either: a full-name search
    # would confirm who the masked record belongs to.
    return search.name_contains(queryset, "subject_name", value).exclude(
        subject_category=SubjectCategory.NATURAL_PERSON
    )


# A search by code alone, its first page (issue 10 (a)): most public API searches. Its SQL is compiled once a day
# (credit_portal.prepared) instead of once per request; what it returns is what the filter set and the paginator
# return for the same search (tests/disclosure/test_public_code_search.py compares the two).
_CODE_MARKER = "\x00code\x00"
CODE_SEARCH_PARAMETERS = frozenset({"q", "uscc", "page"})


def code_search_first_page(model, query_params, *, page_size: int, cap: int) -> list | None:
    """The records of a first page asked for by one code and nothing else, when that page is the whole result.

    ``None`` when the request asks for anything else (another filter, page or page size, a name, an empty or
    ill-formed code, both ``q`` and ``uscc``) or when the page is full, so that the caller counts and pages as usual.
    """
    if not query_params.keys() <= CODE_SEARCH_PARAMETERS or query_params.get("page", "1") != "1":
        return None
    values = [query_params.get(name) for name in ("q", "uscc") if name in query_params]
    if len(values) != 1:
        return None
    value = values[0].strip()
    if not codes.looks_like_uscc(value):
        return None
    today = timezone.localdate()
    key = ("public_search.code", model._meta.label, today)

    def build():
        prepared.retire(lambda cached: cached[0] != key[0] or cached[2] == today)
        queryset = _public_records(model, _list_fields(model), detail=False).filter(uscc=_CODE_MARKER)
        return queryset[:page_size], {"code": _CODE_MARKER}

    rows = prepared.prepared((*key, page_size), build).run(code=codes.normalise(value))
    return rows if len(rows) < page_size and len(rows) <= cap else None


def _list_fields(model) -> tuple[str, ...]:
    return PUBLIC_PENALTY_FIELDS if model is Penalty else PUBLIC_LICENSING_FIELDS


class CodeOrLabelChoiceField(django_filters.fields.ChoiceField):
    """Accepts our code or the standard's Chinese value (DOMAIN §11: 罚款 as well as fine)."""

    def to_python(self, value):
        value = super().to_python(value)
        for code, label in self.choices:
            if value and value == str(label):
                return code
        return value


class CodeOrLabelChoiceFilter(django_filters.ChoiceFilter):
    field_class = CodeOrLabelChoiceField


def _department_choices(request=None):
    return Department.objects.active().only("id", "name").order_by("name")


class PublicRecordFilter(StaticFormFilterSet):
    """Filters both kinds share: name or code, code, department, decision date range."""

    q = django_filters.CharFilter(method="filter_q", label=_("名称或统一社会信用代码"))
    uscc = django_filters.CharFilter(method="filter_uscc", label=_("统一社会信用代码"))
    department = django_filters.ModelChoiceFilter(
        queryset=_department_choices, label=_("数据来源单位"), empty_label=_("全部部门")
    )
    department_uscc = django_filters.CharFilter(
        method="filter_department_uscc", label=_("数据来源单位统一社会信用代码")
    )
    decision_date = django_filters.DateFromToRangeFilter(label=_("决定日期"))

    def filter_department_uscc(self, queryset, name, value):
        code = codes.normalise(value)
        return queryset.filter(department__uscc=code) if code else queryset

    def filter_q(self, queryset, name, value):
        return filter_name_or_code(queryset, value)

    def filter_uscc(self, queryset, name, value):
        code = codes.normalise(value)
        return queryset.filter(uscc=code) if code else queryset


class PublicPenaltyFilter(PublicRecordFilter):
    """Used by the public penalty page and /api/v1/public/penalties/ alike."""

    category = CodeOrLabelChoiceFilter(
        choices=PenaltyCategory.choices, method="filter_category", label=_("处罚类别"), empty_label=_("全部类别")
    )
    severity = CodeOrLabelChoiceFilter(choices=Severity.choices, label=_("失信严重程度"), empty_label=_("全部"))

    class Meta:
        model = Penalty
        fields = ["q", "uscc", "department", "department_uscc", "category", "severity", "decision_date"]

    def filter_category(self, queryset, name, value):
        if connection.features.supports_json_field_contains:
            return queryset.filter(penalty_categories__contains=[value])
        # SQLite has no JSON containment: the quoted code is searched in the stored list's text.
        return queryset.filter(penalty_categories__icontains=f'"{value}"')


class PublicLicensingFilter(PublicRecordFilter):
    """Used by the public licensing page and /api/v1/public/licensings/ alike."""

    category = CodeOrLabelChoiceFilter(
        field_name="licence_category", choices=LicenceCategory.choices, label=_("许可类别"), empty_label=_("全部类别")
    )

    class Meta:
        model = Licensing
        fields = ["q", "uscc", "department", "department_uscc", "category", "decision_date"]


# Staff export of a search (issue 3 §7): the public columns only, natural persons masked, never an ID number.
EXPORT_LIMIT = 50_000
PENALTY_EXPORT_COLUMNS = (
    (_("行政相对人名称"), lambda r: r.public_subject_name),
    (_("行政相对人类别"), lambda r: r.get_subject_category_display()),
    (_("统一社会信用代码"), lambda r: r.uscc),
    (_("法定代表人"), lambda r: "" if r.is_natural_person else r.legal_representative),
    (_("行政处罚决定书文号"), lambda r: r.document_number),
    (_("违法行为类型"), lambda r: r.violation_type),
    (_("处罚类别"), lambda r: pgettext("list separator", "；").join(r.penalty_category_labels)),
    (_("罚款金额（万元）"), lambda r: "" if r.fine_amount is None else format(r.fine_amount.normalize(), "f")),
    (
        _("没收违法所得、没收非法财物的金额（万元）"),
        lambda r: "" if r.confiscated_amount is None else format(r.confiscated_amount.normalize(), "f"),
    ),
    (_("处罚决定日期"), lambda r: r.decision_date.isoformat()),
    (_("公示截止期"), lambda r: r.publication_end_date.isoformat() if r.publication_end_date else ""),
    (_("处罚机关"), lambda r: r.authority_name),
    (_("数据来源单位"), lambda r: r.department.name),
    (_("备注"), lambda r: str(OBJECTION_NOTE) if r.is_under_objection else ""),
)
LICENSING_EXPORT_COLUMNS = (
    (_("行政相对人名称"), lambda r: r.public_subject_name),
    (_("行政相对人类别"), lambda r: r.get_subject_category_display()),
    (_("统一社会信用代码"), lambda r: r.uscc),
    (_("法定代表人"), lambda r: "" if r.is_natural_person else r.legal_representative),
    (_("行政许可决定文书名称"), lambda r: r.decision_document_name),
    (_("行政许可决定文书号"), lambda r: r.document_number),
    (_("许可类别"), lambda r: r.get_licence_category_display()),
    (_("许可决定日期"), lambda r: r.decision_date.isoformat()),
    (_("有效期自"), lambda r: r.valid_from.isoformat()),
    (_("有效期至"), lambda r: r.valid_to.isoformat()),
    (_("许可机关"), lambda r: r.authority_name),
    (_("数据来源单位"), lambda r: r.department.name),
    (_("备注"), lambda r: str(OBJECTION_NOTE) if r.is_under_objection else ""),
)


def export_rows(queryset: QuerySet, *, kind: str):
    """Header and one row per record of a public search, read in chunks (at most EXPORT_LIMIT rows)."""
    columns = PENALTY_EXPORT_COLUMNS if kind == "penalty" else LICENSING_EXPORT_COLUMNS
    yield [str(label) for label, _value in columns]
    for record in queryset[:EXPORT_LIMIT].iterator(chunk_size=2000):
        yield [value(record) for _label, value in columns]
