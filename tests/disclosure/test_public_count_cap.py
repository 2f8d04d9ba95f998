"""Public searches count at most PUBLIC_SEARCH_COUNT_LIMIT matches (issue 10 (a)): count, flag, message, last page."""

from __future__ import annotations

import pytest

from django.urls import reverse

from credit_portal.paginators import CappedPaginator
from disclosure.models import Penalty
from tests.disclosure.test_public_api import make_licensing, make_penalty

pytestmark = pytest.mark.django_db


@pytest.fixture
def seven_tianjin_penalties(department_a):
    for number in range(7):
        make_penalty(department_a, subject_name=f"天津封顶测试{number}有限公司")
    make_penalty(department_a, subject_name="河北别处有限公司")


def test_api_count_is_capped_with_a_flag_and_pages_end_at_the_cap(client, settings, seven_tianjin_penalties):
    settings.PUBLIC_SEARCH_COUNT_LIMIT = 5
    url = reverse("public-penalty-list")
    body = client.get(url, {"q": "天津", "page_size": 2}).json()
    assert body["count"] == 5 and body["count_capped"] is True
    assert len(body["results"]) == 2 and "page=2" in body["next"]
    last = client.get(url, {"q": "天津", "page_size": 2, "page": 3}).json()  # the page holding the 5th match
    assert last["next"] is None and len(last["results"]) == 1  # the 5th match only: nothing past the cap is listed
    assert client.get(url, {"q": "天津", "page_size": 2, "page": 4}).status_code == 404


def test_api_count_is_exact_below_the_cap(client, settings, seven_tianjin_penalties, department_a):
    settings.PUBLIC_SEARCH_COUNT_LIMIT = 7
    url = reverse("public-penalty-list")
    body = client.get(url, {"q": "天津"}).json()
    assert body["count"] == 7 and body["count_capped"] is False
    everything = client.get(url).json()  # 8 published penalties
    assert (everything["count"], everything["count_capped"]) == (7, True)
    make_licensing(department_a, subject_name="天津许可封顶有限公司")
    licences = client.get(reverse("public-licensing-list"), {"q": "天津"}).json()
    assert licences["count"] == 1 and licences["count_capped"] is False


def test_page_says_more_than_the_cap_and_links_no_page_past_it(client, settings, seven_tianjin_penalties):
    settings.PUBLIC_SEARCH_COUNT_LIMIT = 30
    for number in range(40):
        make_penalty(Penalty.objects.first().department, subject_name=f"天津翻页{number}有限公司")
    url = reverse("disclosure-public-penalties")
    body = client.get(url, {"q": "天津"}).content.decode()
    assert "超过 30 条记录" in body and 'id="results-capped"' in body
    assert "第 1 页，共 2 页" in body  # 30 of 47 matches: two pages of 20
    last = client.get(url, {"q": "天津", "page": 9}).content.decode()  # past the cap: the last page
    assert "第 2 页，共 2 页" in last and 'rel="next"' not in last
    settings.PUBLIC_SEARCH_COUNT_LIMIT = 100
    exact = client.get(url, {"q": "天津"}).content.decode()
    assert "共 47 条记录" in exact and 'id="results-capped"' not in exact and "第 1 页，共 3 页" in exact


def test_capped_paginator_counts_at_most_cap_plus_one_rows(seven_tianjin_penalties, django_assert_num_queries):
    paginator = CappedPaginator(Penalty.objects.order_by("-pk"), 3, cap=4)
    with django_assert_num_queries(1) as captured:
        assert (paginator.count, paginator.capped, paginator.num_pages) == (4, True, 2)
    assert "LIMIT 5" in captured.captured_queries[0]["sql"]
    exactly_the_cap = CappedPaginator(list(range(4)), 3, cap=4)
    assert (exactly_the_cap.count, exactly_the_cap.capped) == (4, False)


def test_public_list_entries_api_and_page_are_capped_too(client, settings):
    from tests.sanctions.factories import ListEntryFactory

    ListEntryFactory.create_batch(4)
    settings.PUBLIC_SEARCH_COUNT_LIMIT = 3
    body = client.get("/api/v1/public/list-entries/").json()
    assert (body["count"], body["count_capped"], len(body["results"])) == (3, True, 3)
    page = client.get("/lists/").content.decode()
    assert "超过 3 条记录" in page and 'id="results-capped"' in page
    settings.PUBLIC_SEARCH_COUNT_LIMIT = 4
    body = client.get("/api/v1/public/list-entries/").json()
    assert (body["count"], body["count_capped"]) == (4, False)
    assert "共 4 条记录" in client.get("/lists/").content.decode()


def test_a_first_page_shorter_than_a_page_is_the_whole_result_and_nothing_is_counted(
    seven_tianjin_penalties, django_assert_num_queries
):
    queryset = Penalty.objects.order_by("-pk")
    with django_assert_num_queries(1) as captured:  # the page itself, no COUNT
        page = CappedPaginator(queryset, 10, cap=100).get_page(None)
    assert "COUNT" not in captured.captured_queries[0]["sql"].upper()
    assert (page.paginator.count, page.paginator.capped, page.paginator.num_pages) == (8, False, 1)
    assert [record.pk for record in page] == list(queryset.values_list("pk", flat=True))
    with django_assert_num_queries(2):  # a full first page: its rows, then the capped count
        page = CappedPaginator(queryset, 3, cap=100).page("1")
    assert (len(page), page.paginator.count, page.has_next()) == (3, 8, True)
    later = CappedPaginator(queryset, 3, cap=100).get_page("3")  # other pages as before: the last holds two
    assert [record.pk for record in later] == list(queryset.values_list("pk", flat=True))[6:]
    assert CappedPaginator(queryset, 3, cap=100).get_page("abc").number == 1
    empty = CappedPaginator(Penalty.objects.none(), 3, cap=100).get_page(None)
    assert (empty.paginator.count, list(empty)) == (0, [])


def test_api_search_with_a_few_matches_sends_no_count(client, seven_tianjin_penalties, django_assert_num_queries):
    with django_assert_num_queries(1) as captured:
        body = client.get(reverse("public-penalty-list"), {"q": "河北别处"}).json()
    assert (body["count"], body["count_capped"], len(body["results"])) == (1, False, 1)
    assert "COUNT(" not in captured.captured_queries[0]["sql"].upper()


def test_pages_are_read_by_a_late_row_lookup_with_the_rows_slicing_gives(department_a, department_b):
    """Every page of a public search equals the plain slice of the same queryset; its rows come by id."""
    from django.db import connection
    from django.db.models import F
    from django.test.utils import CaptureQueriesContext

    from disclosure import public_search

    for number in range(11):
        make_penalty(department_a if number % 2 else department_b, subject_name=f"天津延迟读取{number}有限公司")
    queryset = public_search.filter_name_or_code(public_search.public_penalties(), "延迟读取")
    expected = [(record.pk, record.department.name) for record in queryset]
    paginator = CappedPaginator(queryset, 4)
    seen = []
    for number in (1, 2, 3):
        with CaptureQueriesContext(connection) as queries:
            page = paginator.page(number)
            rows = [(record.pk, record.department.name) for record in page]  # the department is joined
        assert all("IN (SELECT" in query["sql"] for query in queries if "COUNT" not in query["sql"].upper())
        assert len(queries) <= 2  # the page, and the count once
        seen.extend(rows)
        assert page.object_list[0].get_deferred_fields() >= {"violation_facts", "id_number_encrypted"}
    assert seen == expected and len(seen) == 11
    # Lists, and querysets the lookup cannot serve (annotated ones here), are sliced as before.
    assert list(CappedPaginator(list(range(7)), 4).page(2)) == [4, 5, 6]
    annotated = queryset.annotate(twice=F("id") * 2)
    assert [(row.pk, row.twice) for row in CappedPaginator(annotated, 4).page(3)] == [
        (pk, pk * 2) for pk, _name in expected[8:]
    ]
