"""Public 双公示 search API: only what is published and in its period, natural persons masked, no ID numbers."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from django.utils import timezone

from disclosure.choices import InfoScope, LicenceState, RecordStatus
from disclosure.models import Licensing, Penalty
from tests.registry.factories import NaturalPersonFactory, SubjectFactory, make_resident_id

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def make_penalty(department, subject=None, *, published: bool = True, **fields) -> Penalty:
    """A penalty row as the services leave it after filing (and publishing): the public views only read rows."""
    subject = subject or SubjectFactory()
    values = {
        "subject": subject,
        "department": department,
        "subject_name": subject.name,
        "subject_category": subject.category,
        "uscc": subject.uscc or "",
        "legal_representative": subject.legal_representative,
        "authority_name": department.name,
        "authority_uscc": department.uscc,
        "document_number": f"津罚〔2024〕{Penalty.objects.count() + 1}号",
        "decision_date": TODAY - datetime.timedelta(days=30),
        "content": "罚款人民币一万元",
        "violation_type": "违反食品安全法",
        "violation_facts": "经营超过保质期的食品",
        "legal_basis": "《中华人民共和国食品安全法》第一百二十四条",
        "penalty_categories": ["fine"],
        "fine_amount": Decimal("1"),
        "status": RecordStatus.PUBLISHED if published else RecordStatus.DRAFT,
        "published_at": timezone.now() if published else None,
        "publication_end_date": TODAY + datetime.timedelta(days=300),
    }
    values.update(fields)
    return Penalty.objects.create(**values)


def make_licensing(department, subject=None, *, published: bool = True, **fields) -> Licensing:
    subject = subject or SubjectFactory()
    values = {
        "subject": subject,
        "department": department,
        "subject_name": subject.name,
        "subject_category": subject.category,
        "uscc": subject.uscc or "",
        "legal_representative": subject.legal_representative,
        "authority_name": department.name,
        "authority_uscc": department.uscc,
        "document_number": f"津许〔2024〕{Licensing.objects.count() + 1}号",
        "decision_date": TODAY - datetime.timedelta(days=30),
        "content": "食品经营许可",
        "decision_document_name": "食品经营许可决定书",
        "licence_category": "ordinary",
        "valid_from": TODAY - datetime.timedelta(days=30),
        "valid_to": datetime.date(2099, 12, 31),
        "status": RecordStatus.PUBLISHED if published else RecordStatus.DRAFT,
        "published_at": timezone.now() if published else None,
    }
    values.update(fields)
    return Licensing.objects.create(**values)


def natural_person_penalty(department, id_number: str) -> Penalty:
    person = NaturalPersonFactory(name="张三明", id_number=id_number)
    penalty = make_penalty(
        department, person, uscc="", legal_representative="", penalty_categories=["warning"], fine_amount=None
    )
    penalty.id_type = "01"
    penalty.set_id_number(id_number)
    penalty.save()
    return penalty


def _names(response) -> list[str]:
    return [row["subject_name"] for row in response.json()["results"]]


def test_anonymous_visitor_sees_published_penalties_only(api_client, department_a):
    shown = make_penalty(department_a, subject_name="天津公示科技有限公司")
    make_penalty(department_a, subject_name="天津草稿科技有限公司", published=False)
    make_penalty(department_a, subject_name="天津撤销科技有限公司", status=RecordStatus.WITHDRAWN)
    make_penalty(department_a, subject_name="天津期满科技有限公司", status=RecordStatus.EXPIRED)
    make_penalty(department_a, subject_name="天津修复科技有限公司", status=RecordStatus.STOPPED_BY_REPAIR)
    make_penalty(department_a, subject_name="天津不予公示科技有限公司", is_publishable=False)
    make_penalty(department_a, subject_name="天津内部共享科技有限公司", info_scope=InfoScope.INTERNAL)
    make_penalty(
        department_a, subject_name="天津过期科技有限公司", publication_end_date=TODAY - datetime.timedelta(days=1)
    )
    response = api_client.get("/api/v1/public/penalties/")
    assert response.status_code == 200
    assert _names(response) == ["天津公示科技有限公司"]
    assert api_client.get(f"/api/v1/public/penalties/{shown.pk}/").status_code == 200


def test_unpublished_record_detail_is_404(api_client, department_a):
    draft = make_penalty(department_a, published=False)
    withdrawn = make_penalty(department_a, status=RecordStatus.WITHDRAWN)
    assert api_client.get(f"/api/v1/public/penalties/{draft.pk}/").status_code == 404
    assert api_client.get(f"/api/v1/public/penalties/{withdrawn.pk}/").status_code == 404


def test_licences_are_shown_while_valid_only(api_client, department_a):
    make_licensing(department_a, subject_name="天津有效许可有限公司")
    make_licensing(department_a, subject_name="天津无效许可有限公司", current_state=LicenceState.INVALID)
    make_licensing(
        department_a,
        subject_name="天津到期许可有限公司",
        valid_from=TODAY - datetime.timedelta(days=400),
        valid_to=TODAY - datetime.timedelta(days=1),
    )
    make_licensing(department_a, subject_name="天津草稿许可有限公司", published=False)
    response = api_client.get("/api/v1/public/licensings/")
    assert _names(response) == ["天津有效许可有限公司"]
    row = response.json()["results"][0]
    assert row["licence_category"] == "ordinary" and row["licence_category_label"] == "普通"


def test_natural_person_name_is_masked_and_id_number_never_appears(api_client, department_a):
    id_number = make_resident_id(seed=7)
    penalty = natural_person_penalty(department_a, id_number)
    penalty.violation_facts = f"当事人（身份证号{id_number}）无证经营"
    penalty.save()
    listing = api_client.get("/api/v1/public/penalties/")
    detail = api_client.get(f"/api/v1/public/penalties/{penalty.pk}/")
    for response in (listing, detail):
        body = response.content.decode()
        assert "张*明" in body
        assert "张三明" not in body
        assert id_number not in body
        assert penalty.id_number_masked not in body  # not even the masked form: ID numbers are not published
    assert detail.json()["subject_name"] == "张*明"
    assert "id_number" not in detail.json() and "id_type" not in detail.json()


def test_a_natural_persons_name_is_not_a_search_key(api_client, department_a):
    natural_person_penalty(department_a, make_resident_id(seed=8))
    make_penalty(department_a, subject_name="天津张三明餐饮有限公司")
    for query in ("张三明", "三明", "张"):
        names = _names(api_client.get("/api/v1/public/penalties/", {"q": query}))
        assert "张*明" not in names
    assert _names(api_client.get("/api/v1/public/penalties/", {"q": "三明"})) == ["天津张三明餐饮有限公司"]
    assert "张*明" in _names(api_client.get("/api/v1/public/penalties/"))  # still listed, masked


def test_record_under_objection_shows_the_notice(api_client, department_a):
    penalty = make_penalty(department_a, is_under_objection=True)
    make_penalty(department_a)
    rows = {row["id"]: row for row in api_client.get("/api/v1/public/penalties/").json()["results"]}
    assert rows[penalty.pk]["notice"] == "异议处理中"
    assert [row["notice"] for key, row in rows.items() if key != penalty.pk] == [""]


def test_q_with_a_code_matches_the_code_exactly(api_client, department_a):
    subject = SubjectFactory()
    make_penalty(department_a, subject)
    make_penalty(department_a)
    lowercase_spaced = f" {subject.uscc[:9].lower()} {subject.uscc[9:]} "
    for query in (subject.uscc, lowercase_spaced):
        response = api_client.get("/api/v1/public/penalties/", {"q": query})
        assert [row["uscc"] for row in response.json()["results"]] == [subject.uscc]


def test_q_with_a_name_matches_part_of_the_name(api_client, department_a):
    make_penalty(department_a, subject_name="天津华为食品有限公司")
    make_penalty(department_a, subject_name="天津小米餐饮有限公司")
    assert _names(api_client.get("/api/v1/public/penalties/", {"q": "华为"})) == ["天津华为食品有限公司"]


def test_filters_by_uscc_department_category_severity_and_dates(api_client, department_a, department_b):
    subject = SubjectFactory()
    match = make_penalty(
        department_a,
        subject,
        penalty_categories=["warning", "fine"],
        severity="serious",
        decision_date=datetime.date(2024, 5, 10),
    )
    make_penalty(department_b, subject, penalty_categories=["fine"], decision_date=datetime.date(2024, 5, 10))
    make_penalty(department_a, penalty_categories=["warning"], decision_date=datetime.date(2023, 1, 1))

    def ids(**params):
        return [row["id"] for row in api_client.get("/api/v1/public/penalties/", params).json()["results"]]

    assert ids(uscc=subject.uscc, department=department_a.pk) == [match.pk]
    assert ids(uscc=subject.uscc, department_uscc=department_a.uscc.lower()) == [match.pk]
    assert set(ids(category="fine")) == set(ids(category="罚款")) and len(ids(category="fine")) == 2
    assert ids(category="warning", decision_date_after="2024-01-01") == [match.pk]
    assert ids(severity="严重") == [match.pk]
    assert len(ids(decision_date_before="2023-12-31")) == 1


def test_licensing_category_filter_accepts_code_and_label(api_client, department_a):
    make_licensing(department_a, licence_category="special")
    make_licensing(department_a, licence_category="ordinary")
    for value in ("special", "特许"):
        rows = api_client.get("/api/v1/public/licensings/", {"category": value}).json()["results"]
        assert [row["licence_category"] for row in rows] == ["special"]


def test_public_lists_are_paginated(api_client, department_a):
    for _ in range(25):
        make_penalty(department_a)
    body = api_client.get("/api/v1/public/penalties/").json()
    assert body["count"] == 25 and len(body["results"]) == 20
    assert len(api_client.get("/api/v1/public/penalties/", {"page": 2}).json()["results"]) == 5


@pytest.mark.parametrize("path", ["/api/v1/public/penalties/", "/api/v1/public/licensings/"])
def test_public_list_query_count_does_not_grow_with_rows(
    api_client, department_a, department_b, path, django_assert_max_num_queries
):
    maker = make_penalty if "penalties" in path else make_licensing
    for index in range(30):
        maker(department_a if index % 2 else department_b)
    api_client.get(path, {"q": "公司"})  # PostgreSQL: the process reads the name statistics once (registry.search)
    with django_assert_max_num_queries(2):  # count + page, departments joined
        response = api_client.get(path, {"q": "公司"})
    assert response.json()["count"] == 30


def test_public_search_answers_429_when_rate_limited(api_client, monkeypatch):
    from django.core.cache import cache

    from disclosure.api.public_views import PublicSearchThrottle

    cache.clear()
    monkeypatch.setattr(PublicSearchThrottle, "rate", "3/min")
    statuses = [api_client.get("/api/v1/public/penalties/").status_code for _ in range(4)]
    cache.clear()
    assert statuses == [200, 200, 200, 429]


def test_the_public_records_of_a_day_are_read_afresh_each_time_and_follow_the_date(
    api_client, department_a, monkeypatch
):
    from disclosure import public_search

    ending_today = make_penalty(department_a, subject_name="天津今日期满有限公司", publication_end_date=TODAY)
    first = public_search.public_penalties()
    assert list(first) == [ending_today]
    later = make_penalty(department_a, subject_name="天津随后公示有限公司")
    # The day's queryset is built once but each call is a fresh clone: nothing read before is kept.
    assert set(public_search.public_penalties()) == {ending_today, later}
    assert list(first) == [ending_today]  # the first clone keeps its own result, as any queryset does
    # The next day the record whose period ended yesterday is gone from the search, the API and its detail.
    tomorrow = TODAY + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    assert list(public_search.public_penalties()) == [later]
    assert _names(api_client.get("/api/v1/public/penalties/")) == ["天津随后公示有限公司"]
    assert api_client.get(f"/api/v1/public/penalties/{ending_today.pk}/").status_code == 404
