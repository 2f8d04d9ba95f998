"""Public 双公示 查询 pages: server-rendered search and detail, same rules as the public API (DOMAIN §10)."""

from __future__ import annotations

import pytest

from django.urls import reverse

from disclosure.choices import RecordStatus
from tests.disclosure.test_public_api import make_licensing, make_penalty, natural_person_penalty
from tests.registry.factories import SubjectFactory, make_resident_id

pytestmark = pytest.mark.django_db


def test_penalty_search_page_lists_published_records_in_chinese(client, department_a):
    make_penalty(department_a, subject_name="天津公示科技有限公司")
    make_penalty(department_a, subject_name="天津草稿科技有限公司", published=False)
    make_penalty(department_a, subject_name="天津撤销科技有限公司", status=RecordStatus.WITHDRAWN)
    response = client.get(reverse("disclosure-public-penalties"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "双公示查询" in body and "天津公示科技有限公司" in body
    assert "天津草稿科技有限公司" not in body and "天津撤销科技有限公司" not in body


def test_search_form_works_by_plain_get_with_code_and_filters(client, department_a, department_b):
    subject = SubjectFactory(name="天津精确查询有限公司")
    make_penalty(department_a, subject)
    make_penalty(department_b, subject_name="天津其他有限公司")
    url = reverse("disclosure-public-penalties")
    assert "天津其他有限公司" not in client.get(url, {"q": subject.uscc}).content.decode()
    assert "天津精确查询有限公司" in client.get(url, {"q": subject.uscc}).content.decode()
    by_department = client.get(url, {"department": department_b.pk}).content.decode()
    assert "天津其他有限公司" in by_department and "天津精确查询有限公司" not in by_department


def test_detail_page_masks_natural_person_and_hides_id_number(client, department_a):
    id_number = make_resident_id(seed=11)
    penalty = natural_person_penalty(department_a, id_number)
    for url in (reverse("disclosure-public-penalties"), reverse("disclosure-public-penalty", args=[penalty.pk])):
        body = client.get(url).content.decode()
        assert "张*明" in body
        assert "张三明" not in body and id_number not in body


def test_detail_page_of_an_unpublished_record_is_404(client, department_a):
    draft = make_penalty(department_a, published=False)
    assert client.get(reverse("disclosure-public-penalty", args=[draft.pk])).status_code == 404


def test_record_under_objection_is_marked_on_list_and_detail(client, department_a):
    penalty = make_penalty(department_a, is_under_objection=True)
    assert "异议处理中" in client.get(reverse("disclosure-public-penalties")).content.decode()
    assert "异议处理中" in client.get(reverse("disclosure-public-penalty", args=[penalty.pk])).content.decode()


def test_licensing_search_and_detail_pages(client, department_a):
    licence = make_licensing(department_a, subject_name="天津许可示例有限公司")
    assert "天津许可示例有限公司" in client.get(reverse("disclosure-public-licensings")).content.decode()
    detail = client.get(reverse("disclosure-public-licensing", args=[licence.pk])).content.decode()
    assert "食品经营许可决定书" in detail and "长期" in detail


def test_search_page_query_count_does_not_grow_with_rows(client, department_a, django_assert_max_num_queries):
    for _ in range(30):
        make_penalty(department_a)
    client.get(reverse("disclosure-public-penalties"))  # warm up per-process caches (nav, figures)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("disclosure-public-penalties"), {"department": department_a.pk})
    assert response.status_code == 200


def test_staff_export_the_current_search_without_id_numbers(client, clerk, department_a, department_b):
    import csv
    import io

    id_number = make_resident_id(seed=12)
    natural_person_penalty(department_a, id_number)
    make_penalty(department_a, subject_name="天津导出测试有限公司")
    make_penalty(department_b, subject_name="天津别的部门有限公司")
    make_penalty(department_a, subject_name="天津草稿导出有限公司", published=False)
    url = reverse("disclosure-public-penalties")
    assert client.get(url, {"export": "csv"})["Content-Type"].startswith("text/html")  # visitors get the page
    client.force_login(clerk)
    response = client.get(url, {"department": department_a.pk, "export": "csv"})
    assert response["Content-Disposition"].endswith('penalty-search.csv"')
    body = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][0] == "行政相对人名称"
    assert sorted(row[0] for row in rows[1:]) == ["天津导出测试有限公司", "张*明"]
    assert id_number not in body and "张三明" not in body
    xlsx = client.get(url, {"export": "xlsx"})
    assert xlsx.content.startswith(b"PK")
