"""The public subject profile and subject search: public data only (DOMAIN §10), exact code lookups (§13)."""

from __future__ import annotations

import pytest

from django.urls import reverse

from campaigns.choices import RoleModelKind
from campaigns.models import RoleModel, StarMerchant
from registry.models import Subject
from tests.registry.factories import NaturalPersonFactory, SubjectFactory, make_resident_id

from .factories import published_penalty, subject_with_records

pytestmark = pytest.mark.django_db


def test_profile_shows_licences_penalties_with_objection_flag_and_list_entries(client):
    subject = subject_with_records()
    response = client.get(reverse("subject-profile", args=[subject.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert subject.name in html and subject.uscc in html
    assert "津西审批许〔2026〕8号" in html
    assert "津西市监罚〔2026〕18号" in html
    assert "异议处理中" in html
    assert "市场监督管理严重违法失信名单" in html or "严重违法失信" in html


def test_profile_by_code_finds_the_same_subject(client):
    subject = SubjectFactory()
    response = client.get(reverse("subject-profile", args=[subject.uscc.lower()]))
    assert response.status_code == 200
    assert subject.name in response.content.decode()


def test_unknown_subject_is_404(client):
    assert client.get(reverse("subject-profile", args=[999999])).status_code == 404
    assert client.get(reverse("subject-profile", args=["not-a-key"])).status_code == 404


def test_natural_person_profile_never_shows_id_number_or_full_name(client):
    id_number = make_resident_id(seed=77)
    person = NaturalPersonFactory(name="李四光", id_number=id_number)
    published_penalty(subject=person, uscc="", legal_representative="")
    response = client.get(reverse("subject-profile", args=[person.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "李*光" in html
    assert "李四光" not in html
    assert id_number not in html
    assert person.id_number_masked not in html


def test_profile_reads_no_personal_column(client, django_assert_max_num_queries):
    subject = subject_with_records()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("subject-profile", args=[subject.pk]))
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert "id_number" not in sql


def test_profile_lists_honours_that_reference_the_subject(client):
    subject = SubjectFactory(name="天津诚信商贸有限公司")
    RoleModel.objects.create(
        kind=RoleModelKind.ENTERPRISE,
        name=subject.name,
        subject=subject,
        honour="诚信示范企业",
        awarded_on="2026-03-15",
        awarding_body="区文明办",
        is_published=True,
    )
    StarMerchant.objects.create(name=subject.name, stars=4, review_year=2026, awarding_body="区商务局")
    RoleModel.objects.create(
        kind=RoleModelKind.ENTERPRISE,
        name=subject.name,
        honour="未公开荣誉",
        awarded_on="2026-03-15",
        awarding_body="区文明办",
        is_published=False,
    )
    html = client.get(reverse("subject-profile", args=[subject.pk])).content.decode()
    assert "诚信示范企业" in html
    assert "★★★★" in html
    assert "未公开荣誉" not in html


def test_search_by_exact_code_finds_one_subject_with_counts(client):
    subject = subject_with_records()
    SubjectFactory(name="天津信用示例科技有限公司分公司")
    response = client.get(reverse("subject-search-public"), {"q": subject.uscc})
    subjects = response.context["subjects"]
    assert [s.pk for s in subjects] == [subject.pk]
    assert (subjects[0].licensing_count, subjects[0].penalty_count, subjects[0].list_entry_count) == (1, 1, 1)


def test_search_by_name_characters(client):
    SubjectFactory(name="天津华信物流有限公司")
    SubjectFactory(name="天津远航物流有限公司")
    SubjectFactory(name="天津机械厂")
    response = client.get(reverse("subject-search-public"), {"q": "物流"})
    assert sorted(s.name for s in response.context["subjects"]) == ["天津华信物流有限公司", "天津远航物流有限公司"]


def test_search_never_finds_a_natural_person_by_name(client):
    NaturalPersonFactory(name="王小明")
    response = client.get(reverse("subject-search-public"), {"q": "王小明"})
    assert list(response.context["subjects"]) == []
    assert "王小明" not in response.content.decode().split('id="results-title"')[1]


def test_search_query_count_does_not_grow_with_results(client, django_assert_max_num_queries):
    for index in range(30):
        subject_with_records(name=f"天津批量测试有限公司{index}", with_list_entry=index % 2 == 0)
    assert Subject.objects.count() == 30
    with django_assert_max_num_queries(3):
        response = client.get(reverse("subject-search-public"), {"q": "批量测试"})
    assert len(response.context["subjects"]) == 30


def test_profile_query_count_is_fixed(client, django_assert_max_num_queries):
    subject = SubjectFactory()
    for index in range(10):
        published_penalty(subject=subject, document_number=f"津西罚〔2026〕{index}号")
    with django_assert_max_num_queries(8):
        response = client.get(reverse("subject-profile", args=[subject.pk]))
    assert len(response.context["profile"].penalties) == 10


def test_search_reads_no_personal_column(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    subject_with_records(name="天津列检查有限公司")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("subject-search-public"), {"q": "列检查"})
    assert len(response.context["subjects"]) == 1
    assert "id_number" not in " ".join(query["sql"] for query in queries.captured_queries)


def test_natural_person_without_published_records_has_no_public_profile_or_report(client):
    person = NaturalPersonFactory(name="孙七")
    assert client.get(reverse("subject-profile", args=[person.pk])).status_code == 404
    assert client.post(reverse("credit-report-download", args=[person.pk])).status_code == 404
