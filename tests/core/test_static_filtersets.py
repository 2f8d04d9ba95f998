"""Filter sets with a form built once per class (credit_portal.api.filters.StaticFormFilterSet) behave as django-filter's
own: same attributes, same validation, same SQL; each instance filters with its own methods."""

from __future__ import annotations

import threading

import pytest
from django_filters import FilterSet

from django.core.exceptions import EmptyResultSet
from django.db.models import QuerySet
from django.http import QueryDict

from credit_portal.api.filters import StaticFormFilterSet
from disclosure import public_search
from sanctions import selectors as sanction_selectors
from sanctions.filters import PublicListEntryFilter, StaffListEntryFilter

pytestmark = pytest.mark.django_db

CASES = [
    (public_search.PublicPenaltyFilter, public_search.public_penalties),
    (public_search.PublicLicensingFilter, public_search.public_licensings),
    (PublicListEntryFilter, sanction_selectors.public_list_entries),
    (StaffListEntryFilter, sanction_selectors.public_list_entries),
]
QUERIES = [
    "",
    "q=91120111MA05L0XW0W",
    "q=天津&page=2",
    "q=%20&uscc=91120111MA05L0XW0W",
    "category=罚款&severity=serious",
    "category=nonsense",
    "decision_date_after=2026-01-01&decision_date_before=2026-03-31",
    "decision_date_after=2026-13-01",
    "department=999999",
    "department_uscc=11120111000000000X",
    "type=samr_serious&color=black",
    "color=purple",
    "status=published",
]


def _reference(filterset_class, data, queryset: QuerySet) -> FilterSet:
    """The same filter set as django-filter itself builds it (deep-copied filters, a new form class)."""
    reference = filterset_class.__new__(filterset_class)
    FilterSet.__init__(reference, data, queryset)
    reference._form = FilterSet.get_form_class(reference)(reference.data, prefix=reference.form_prefix)
    return reference


def _sql(queryset: QuerySet) -> str:
    try:
        return str(queryset.query)
    except EmptyResultSet:  # a filter that can match nothing (an unknown colour)
        return "nothing"


def test_the_public_searches_use_it():
    for filterset_class, _queryset in CASES:
        assert issubclass(filterset_class, StaticFormFilterSet)


@pytest.mark.parametrize("filterset_class,queryset", CASES, ids=lambda case: getattr(case, "__name__", ""))
def test_same_attributes_validation_and_sql_as_django_filter(filterset_class, queryset):
    for query in QUERIES:
        data = QueryDict(query)
        ours = filterset_class(data, queryset=queryset())
        reference = _reference(filterset_class, data, queryset())
        assert set(vars(ours)) == set(vars(reference)) - {"_form"}, query
        assert list(ours.filters) == list(reference.filters)
        for name, filter_ in ours.filters.items():
            assert filter_.parent is ours and filter_.model is reference.filters[name].model
        assert ours.is_valid() == reference.is_valid(), query
        assert ours.errors == reference.errors, query
        if ours.is_valid():
            assert ours.form.cleaned_data == reference.form.cleaned_data, query
            assert _sql(ours.qs) == _sql(reference.qs), query


def test_the_form_class_is_built_once_but_each_filter_set_has_its_own_form_and_filters():
    first = public_search.PublicPenaltyFilter(QueryDict("q=天津"), queryset=public_search.public_penalties())
    second = public_search.PublicPenaltyFilter(QueryDict("q=北京"), queryset=public_search.public_penalties())
    assert type(first.form) is type(second.form)
    assert first.form is not second.form and first.form.fields["q"] is not second.form.fields["q"]
    assert first.filters["q"] is not second.filters["q"]
    assert first.filters["q"].filter.f is first.filters["q"]  # the method proxy is bound to this filter set's filter
    # The licensing filter set, a sibling class, has its own form (its own fields).
    licensing = public_search.PublicLicensingFilter(QueryDict(""), queryset=public_search.public_licensings())
    assert type(licensing.form) is not type(first.form)
    assert "severity" in first.form.fields and "severity" not in licensing.form.fields
    # The base filters are left as declared.
    assert not hasattr(public_search.PublicPenaltyFilter.base_filters["q"], "parent")


def test_filter_sets_built_at_once_in_threads_each_filter_their_own_query():
    results: dict[str, str] = {}
    errors = []

    def search(value: str):
        try:
            for _ in range(50):
                filterset = public_search.PublicPenaltyFilter(
                    QueryDict(f"q={value}"), queryset=public_search.public_penalties()
                )
                assert filterset.is_valid()
                results[value] = str(filterset.qs.query)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    values = ["91120111MA05L0XW0W", "天津", "西青区", "超市"]
    threads = [threading.Thread(target=search, args=(value,)) for value in values]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    for value in values:
        assert value.upper() in results[value].upper()
        assert all(other.upper() not in results[value].upper() for other in values if other != value)


def test_a_department_added_later_is_offered_and_accepted_by_the_built_once_form(client):
    from tests.registry.factories import DepartmentFactory

    before = public_search.PublicPenaltyFilter(QueryDict(""), queryset=public_search.public_penalties())
    offered_before = {str(label) for _value, label in before.form.fields["department"].choices}
    added = DepartmentFactory(name="区新设测试局")
    assert "区新设测试局" not in offered_before
    after = public_search.PublicPenaltyFilter(
        QueryDict(f"department={added.pk}"), queryset=public_search.public_penalties()
    )
    assert type(after.form) is type(before.form)
    assert "区新设测试局" in {str(label) for _value, label in after.form.fields["department"].choices}
    assert after.is_valid() and after.form.cleaned_data["department"] == added
    # The public page renders the new department among the choices as well.
    assert "区新设测试局" in client.get("/publicity/penalties/").content.decode()


def test_the_built_once_form_speaks_each_visitors_language(client):
    chinese = client.get("/publicity/penalties/").content.decode()  # builds the form class under Chinese
    assert "全部类别" in chinese and "All categories" not in chinese
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/publicity/penalties/").content.decode()
    assert "All categories" in english and "全部类别" not in english
    # And the validation messages of the API (the same filter set).
    error = client.get("/api/v1/public/penalties/?category=nonsense").json()["errors"][0]
    assert (error["field"], error["code"]) == ("category", "invalid_choice")
    assert "Select a valid choice" in error["message"]
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert (
        "选择一个有效的选项"
        in client.get("/api/v1/public/penalties/?category=nonsense").json()["errors"][0]["message"]
    )
