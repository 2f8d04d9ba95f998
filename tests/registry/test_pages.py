"""Registry pages: the public code check, staff subject search and detail with logged reveal, code quality."""

from __future__ import annotations

import pytest

from credit_portal.models import AuditEvent
from registry import services
from tests.registry.factories import make_resident_id, make_uscc

pytestmark = pytest.mark.django_db


def test_the_code_check_page_needs_no_login_and_explains_each_failure(client):
    response = client.get("/code-check/", {"code": "91350100M000100Y44"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "第18位校验码应为“3”，实际为“4”" in page
    assert "正确的校验码应为 <strong>3</strong>" in page
    assert "市场监管" in page and "企业" in page


def test_the_code_check_page_marks_a_forbidden_character(client):
    page = client.get("/code-check/", {"code": "91350100M00O100Y43"}).content.decode()
    assert "第12位字符“O”不允许使用" in page
    assert '<mark title="第12位">O</mark>' in page


def test_the_code_check_page_accepts_a_valid_n_authority_code(client):
    page = client.get("/code-check/", {"code": make_uscc("N", "2", seed=1)}).content.decode()
    assert "该代码符合编码规则" in page and "农业农村" in page


def test_the_code_check_page_is_in_the_public_navigation(client):
    assert 'href="/code-check/"' in client.get("/").content.decode()


def test_staff_pages_need_a_login(client):
    response = client.get("/staff/subjects/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_clerk_finds_their_subject_and_not_another_departments(client, clerk, clerk_b):
    services.resolve_subject(
        by=clerk, category="legal_entity", name="甲方公司", uscc=make_uscc(seed=1), legal_representative="甲"
    )
    other = services.resolve_subject(
        by=clerk_b, category="legal_entity", name="乙方公司", uscc=make_uscc(seed=2), legal_representative="乙"
    )
    client.force_login(clerk)
    page = client.get("/staff/subjects/", {"q": "公司"}).content.decode()
    assert "甲方公司" in page and "乙方公司" not in page
    assert client.get(f"/staff/subjects/{other.pk}/").status_code == 404


def test_the_subject_page_shows_history_and_the_masked_id_only(client, clerk, reviewer):
    number = make_resident_id(seed=3)
    person = services.resolve_subject(
        by=clerk, category="natural_person", name="张三明", id_type="01", id_number=number
    )
    services.resolve_subject(by=clerk, category="natural_person", name="张三鸣", id_type="01", id_number=number)
    client.force_login(reviewer)
    page = client.get(f"/staff/subjects/{person.pk}/").content.decode()
    assert person.id_number_masked in page and number not in page
    assert "张三明" in page and "张三鸣" in page  # both versions in the history list


def test_revealing_the_id_on_the_page_needs_a_reason_and_is_logged(client, clerk, reviewer):
    number = make_resident_id(seed=4)
    person = services.resolve_subject(by=clerk, category="natural_person", name="李四", id_type="01", id_number=number)
    client.force_login(reviewer)
    response = client.post(f"/staff/subjects/{person.pk}/", {"reason": ""})
    assert response.status_code == 200 and number not in response.content.decode()
    assert not AuditEvent.objects.filter(action="id_number_revealed").exists()
    response = client.post(f"/staff/subjects/{person.pk}/", {"reason": "异议核查"})
    assert number in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="id_number_revealed")
    assert event.actor == reviewer and event.detail == {"reason": "异议核查"}


def test_a_clerk_of_another_department_cannot_reveal(client, clerk, clerk_b):
    person = services.resolve_subject(
        by=clerk, category="natural_person", name="李四", id_type="01", id_number=make_resident_id(seed=5)
    )
    client.force_login(clerk_b)
    assert client.post(f"/staff/subjects/{person.pk}/", {"reason": "看看"}).status_code == 404
    assert not AuditEvent.objects.filter(action="id_number_revealed").exists()


def test_the_code_quality_page_is_for_reviewers(client, clerk, reviewer, department_a):
    client.force_login(clerk)
    assert client.get("/staff/code-quality/").status_code == 403
    client.force_login(reviewer)
    response = client.get("/staff/code-quality/")
    assert response.status_code == 200 and "区市场监管局" in response.content.decode()
    assert 'href="/staff/code-quality/"' in response.content.decode()


def test_the_subject_search_query_count_does_not_grow_with_rows(
    client, reviewer, clerk, django_assert_max_num_queries
):
    from tests.registry.factories import SubjectFactory

    client.force_login(reviewer)
    SubjectFactory.create_batch(3, created_by_department=clerk.department)
    client.get("/staff/subjects/")
    with django_assert_max_num_queries(20) as few:
        client.get("/staff/subjects/")
    SubjectFactory.create_batch(30, created_by_department=clerk.department)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/staff/subjects/")


def test_the_staff_home_links_the_registry_pages_by_role(client, clerk, reviewer):
    client.force_login(reviewer)
    page = client.get("/staff/").content.decode()
    assert 'href="/staff/subjects/"' in page and 'href="/staff/code-quality/"' in page
    client.force_login(clerk)
    page = client.get("/staff/").content.decode()
    assert 'href="/staff/subjects/"' in page and 'href="/staff/code-quality/"' not in page
