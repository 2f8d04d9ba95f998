"""The registry API: code check, public departments, staff subjects scoped by department, reveal-id, code quality."""

from __future__ import annotations

import pytest

from credit_portal.models import AuditEvent
from registry import codes, services
from registry.models import Subject
from tests.registry.factories import DepartmentFactory, SubjectFactory, make_resident_id, make_uscc

pytestmark = pytest.mark.django_db


def test_validate_code_accepts_the_standards_worked_example(api_client):
    response = api_client.post("/api/v1/registry/validate-code", {"code": "91350100M000100Y43"}, format="json")
    assert response.status_code == 200
    assert response.json() == {"valid": True, "code": "91350100M000100Y43", "errors": [], "expected_check_digit": None}


def test_validate_code_normalises_and_names_the_expected_check_character(api_client):
    response = api_client.post("/api/v1/registry/validate-code", {"code": " 91350100m000100y44 "}, format="json")
    body = response.json()
    assert response.status_code == 200
    assert body["valid"] is False and body["code"] == "91350100M000100Y44"
    assert body["expected_check_digit"] == "3"
    assert body["errors"] == [{"code": "check_digit", "message": "第18位校验码应为“3”，实际为“4”。", "position": 18}]


def test_validate_code_reports_a_bad_character_with_its_position(api_client):
    body = api_client.post("/api/v1/registry/validate-code", {"code": "91350100M00O100Y43"}, format="json").json()
    assert body["valid"] is False
    assert [(e["code"], e["position"]) for e in body["errors"]] == [("invalid_character", 12)]
    assert body["expected_check_digit"] is None


def test_validate_code_without_code_is_a_400_in_the_error_shape(api_client):
    response = api_client.post("/api/v1/registry/validate-code", {}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "code"


def test_departments_are_public_with_name_and_code(
    api_client, department_a, department_b, django_assert_max_num_queries
):
    DepartmentFactory(name="区停用局", is_active=False)
    with django_assert_max_num_queries(1):
        response = api_client.get("/api/v1/registry/departments/")
    assert response.status_code == 200
    names = {item["name"]: item for item in response.json()}
    assert set(names) == {"区市场监管局", "区税务局"}
    assert names["区市场监管局"]["uscc"] == department_a.uscc
    assert names["区市场监管局"]["kind_label"] == "行政机关"


def test_subjects_need_a_staff_token(api_client):
    assert api_client.get("/api/v1/registry/subjects/").status_code in (401, 403)


def _person(clerk, seed=1):
    return services.resolve_subject(
        by=clerk, category="natural_person", name="张三明", id_type="01", id_number=make_resident_id(seed=seed)
    )


def test_a_clerk_lists_only_their_departments_subjects_with_masked_ids(api_for, clerk, clerk_b):
    mine = _person(clerk)
    services.resolve_subject(
        by=clerk_b, category="legal_entity", name="乙方公司", uscc=make_uscc(seed=1), legal_representative="乙"
    )
    response = api_for(clerk).get("/api/v1/registry/subjects/")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [item["id"] for item in results] == [mine.pk]
    assert results[0]["id_number_masked"] == mine.id_number_masked
    assert "id_number" not in results[0] and "id_number_encrypted" not in results[0]
    assert mine.reveal_id_number() not in response.content.decode()


def test_a_clerk_gets_404_on_another_departments_subject(api_for, clerk, clerk_b):
    other = services.resolve_subject(
        by=clerk_b, category="legal_entity", name="乙方公司", uscc=make_uscc(seed=2), legal_representative="乙"
    )
    client = api_for(clerk)
    assert client.get(f"/api/v1/registry/subjects/{other.pk}/").status_code == 404
    assert (
        client.patch(f"/api/v1/registry/subjects/{other.pk}/", {"subject_name": "改名"}, format="json").status_code
        == 404
    )
    assert (
        client.post(f"/api/v1/registry/subjects/{other.pk}/reveal-id/", {"reason": "核查"}, format="json").status_code
        == 404
    )
    other.refresh_from_db()
    assert other.name == "乙方公司"


def test_a_clerk_registers_a_subject_and_the_service_checks_the_code(api_for, clerk):
    client = api_for(clerk)
    code = make_uscc(seed=3)
    response = client.post(
        "/api/v1/registry/subjects/",
        {
            "subject_category": "法人及非法人组织",
            "subject_name": "天津丙公司",
            "uscc": code,
            "legal_representative": "丙",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["subject_category"] == "legal_entity"
    assert Subject.objects.get(uscc=code).created_by_department == clerk.department
    bad = client.post(
        "/api/v1/registry/subjects/",
        {
            "subject_category": "legal_entity",
            "subject_name": "丁",
            "uscc": code[:17] + "I",
            "legal_representative": "丁",
        },
        format="json",
    )
    assert bad.status_code == 400
    assert bad.json() == {
        "errors": [
            {
                "field": "uscc",
                "code": "invalid_character",
                "message": codes.validate_uscc(code[:17] + "I").errors[0].message,
            }
        ]
    }


def test_a_clerk_corrects_a_name_and_the_history_keeps_the_old_one(api_for, clerk):
    subject = services.resolve_subject(
        by=clerk, category="legal_entity", name="旧名公司", uscc=make_uscc(seed=4), legal_representative="甲"
    )
    response = api_for(clerk).patch(
        f"/api/v1/registry/subjects/{subject.pk}/", {"subject_name": "新名公司"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["subject_name"] == "新名公司"
    assert list(subject.history.order_by("history_date").values_list("name", flat=True)) == ["旧名公司", "新名公司"]


def test_search_finds_by_exact_code_and_by_name_characters(api_for, reviewer, clerk):
    code = make_uscc(seed=5)
    services.resolve_subject(
        by=clerk, category="legal_entity", name="天津华为科技", uscc=code, legal_representative="甲"
    )
    services.resolve_subject(
        by=clerk, category="legal_entity", name="天津小米", uscc=make_uscc(seed=6), legal_representative="乙"
    )
    client = api_for(reviewer)
    assert [
        r["subject_name"] for r in client.get("/api/v1/registry/subjects/", {"q": code.lower()}).json()["results"]
    ] == ["天津华为科技"]
    assert [r["subject_name"] for r in client.get("/api/v1/registry/subjects/", {"q": "小米"}).json()["results"]] == [
        "天津小米"
    ]


def test_search_by_id_number_finds_the_person_without_showing_the_number(api_for, reviewer, clerk):
    person = _person(clerk, seed=7)
    number = person.reveal_id_number()
    response = api_for(reviewer).get("/api/v1/registry/subjects/", {"q": number})
    assert [r["id"] for r in response.json()["results"]] == [person.pk]
    assert number not in response.content.decode()


def test_reveal_id_returns_the_number_and_logs_who_whose_and_why(api_for, reviewer, clerk):
    person = _person(clerk, seed=8)
    response = api_for(reviewer).post(
        f"/api/v1/registry/subjects/{person.pk}/reveal-id/", {"reason": "异议核查 2026-17号"}, format="json"
    )
    assert response.status_code == 200
    assert response.json() == {"id_number": person.reveal_id_number()}
    event = AuditEvent.objects.get(action="id_number_revealed")
    assert (event.actor, event.object_id, event.detail) == (reviewer, str(person.pk), {"reason": "异议核查 2026-17号"})
    assert person.reveal_id_number() not in str(event.detail)


def test_reveal_id_needs_a_reason(api_for, reviewer, clerk):
    person = _person(clerk, seed=9)
    response = api_for(reviewer).post(
        f"/api/v1/registry/subjects/{person.pk}/reveal-id/", {"reason": ""}, format="json"
    )
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action="id_number_revealed").exists()


def test_reveal_id_is_refused_to_the_public(api_client, clerk):
    person = _person(clerk, seed=10)
    response = api_client.post(f"/api/v1/registry/subjects/{person.pk}/reveal-id/", {"reason": "看看"}, format="json")
    assert response.status_code in (401, 403)
    assert not AuditEvent.objects.filter(action="id_number_revealed").exists()


def test_a_clerk_reveals_only_what_their_department_filed(api_for, clerk, clerk_b):
    mine = _person(clerk, seed=11)
    response = api_for(clerk).post(
        f"/api/v1/registry/subjects/{mine.pk}/reveal-id/", {"reason": "处罚决定书送达"}, format="json"
    )
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="id_number_revealed", actor=clerk).count() == 1


def test_subject_list_query_count_does_not_grow_with_rows(api_for, reviewer, clerk, django_assert_max_num_queries):
    client = api_for(reviewer)
    SubjectFactory.create_batch(5, created_by_department=clerk.department)
    client.get("/api/v1/registry/subjects/")  # warm the token and role caches alike
    with django_assert_max_num_queries(6) as few:
        client.get("/api/v1/registry/subjects/")
    SubjectFactory.create_batch(40, created_by_department=clerk.department)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/api/v1/registry/subjects/")
    assert response.json()["count"] == 45


def test_code_quality_is_for_reviewers_and_administrators(api_for, clerk, reviewer, administrator):
    assert api_for(clerk).get("/api/v1/registry/code-quality/").status_code == 403
    assert api_for(reviewer).get("/api/v1/registry/code-quality/").status_code == 200
    assert api_for(administrator).get("/api/v1/registry/code-quality/").status_code == 200


def test_code_quality_reports_the_rate_per_department(api_for, reviewer, department_a, department_b):
    for seed in range(8):
        SubjectFactory(uscc=make_uscc(seed=100 + seed), created_by_department=department_a)
    wrong = make_uscc(seed=200)
    SubjectFactory(uscc=wrong[:17] + ("0" if wrong[17] != "0" else "1"), created_by_department=department_a)
    SubjectFactory(name="同名公司", uscc=make_uscc(seed=201), created_by_department=department_b)
    SubjectFactory(name="同名公司", uscc=make_uscc(seed=202), created_by_department=department_b)
    rows = {row["department"]["name"]: row for row in api_for(reviewer).get("/api/v1/registry/code-quality/").json()}
    assert (rows["区市场监管局"]["total"], rows["区市场监管局"]["invalid"], rows["区市场监管局"]["duplicate"]) == (
        9,
        1,
        0,
    )
    assert rows["区市场监管局"]["rate"] == "0.111111"
    assert (rows["区税务局"]["total"], rows["区税务局"]["duplicate"], rows["区税务局"]["meets_target"]) == (
        2,
        2,
        False,
    )
