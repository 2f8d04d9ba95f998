"""The clerks' record API at /api/v1/disclosure/ (DOMAIN §11): scoping, code-or-label input, computed fields."""

from __future__ import annotations

import pytest

from django.utils import timezone

from credit_portal.exchange.models import OutboxEvent
from disclosure import services
from disclosure.models import Licensing, Penalty
from tests.disclosure.factories import LicensingFactory, PenaltyFactory, licensing_data, penalty_data
from tests.registry.factories import make_resident_id

pytestmark = pytest.mark.django_db
PENALTIES = "/api/v1/disclosure/penalties/"
LICENSINGS = "/api/v1/disclosure/licensings/"


def test_anonymous_gets_401(api_client):
    assert api_client.get(PENALTIES).status_code == 401


def test_clerk_files_a_penalty_with_chinese_labels_and_gets_codes_and_labels(api_for, clerk):
    data = penalty_data(subject_category="法人及非法人组织", penalty_categories=["罚款"], severity="一般")
    response = api_for(clerk).post(PENALTIES, data, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["subject_category"] == "legal_entity" and body["subject_category_label"] == "法人及非法人组织"
    assert body["penalty_categories"] == ["fine"] and body["penalty_categories_labels"] == ["罚款"]
    assert body["severity"] == "general" and body["severity_label"] == "一般"
    assert body["status"] == "draft"
    assert body["publication_due_date"] == "2024-03-26"
    assert body["is_due_date_provisional"] is False
    assert body["timeliness"] == "overdue"
    assert body["source_department_uscc"] == clerk.department.uscc


def test_validation_errors_use_the_error_shape(api_for, clerk):
    response = api_for(clerk).post(PENALTIES, penalty_data(fine_amount="", decision_date="2024-02-30"), format="json")
    assert response.status_code == 400
    errors = {(e["field"], e["code"]) for e in response.json()["errors"]}
    assert {("fine_amount", "fine_amount_required"), ("decision_date", "invalid_date")} <= errors


def test_computed_fields_are_read_only(api_for, clerk):
    data = penalty_data(status="published", timeliness="on_time", publication_end_date="2099-01-01", id=999)
    body = api_for(clerk).post(PENALTIES, data, format="json").json()
    assert body["status"] == "draft" and body["timeliness"] == "overdue"
    assert body["publication_end_date"] == "2025-03-15"
    assert body["id"] != 999


def test_id_number_is_write_only_and_returned_masked(api_for, clerk):
    number = make_resident_id(seed=11)
    data = penalty_data(
        subject_category="natural_person",
        subject_name="李四光",
        uscc="",
        legal_representative="",
        id_type="01",
        id_number=number,
    )
    response = api_for(clerk).post(PENALTIES, data, format="json")
    assert response.status_code == 201, response.json()
    text = response.content.decode()
    assert number not in text
    assert "id_number" not in response.json()
    assert response.json()["id_number_masked"] == number[:4] + "**********" + number[-4:]
    listed = api_for(clerk).get(PENALTIES).content.decode()
    assert number not in listed


def test_refiling_by_api_updates_never_duplicates(api_for, clerk):
    client = api_for(clerk)
    first = client.post(PENALTIES, penalty_data(), format="json").json()
    second = client.post(PENALTIES, penalty_data(content="新内容"), format="json").json()
    assert first["id"] == second["id"]
    assert Penalty.objects.count() == 1


def test_publish_and_correct_through_the_api(api_for, clerk):
    client = api_for(clerk)
    today = timezone.localdate().isoformat()
    created = client.post(PENALTIES, penalty_data(decision_date=today), format="json").json()
    published = client.post(f"{PENALTIES}{created['id']}/publish/")
    assert published.status_code == 200
    assert published.json()["status"] == "published" and published.json()["timeliness"] == "on_time"
    corrected = client.patch(f"{PENALTIES}{created['id']}/", {"fine_amount": "3", "reason": "笔误"}, format="json")
    assert corrected.status_code == 200, corrected.json()
    assert corrected.json()["version"] == 2 and corrected.json()["fine_amount"] == "3.000000"
    assert OutboxEvent.objects.filter(object_id=created["id"], action="upsert").count() == 2


def test_withdraw_through_the_api_needs_reason_and_document(api_for, clerk):
    client = api_for(clerk)
    created = client.post(LICENSINGS, licensing_data(), format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    refused = client.post(f"{LICENSINGS}{pk}/withdraw/", {}, format="json")
    assert refused.status_code == 400
    assert {e["field"] for e in refused.json()["errors"]} == {"reason", "document"}
    done = client.post(f"{LICENSINGS}{pk}/withdraw/", {"reason": "撤回", "document": "撤〔2024〕1号"}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "withdrawn"
    assert done.json()["current_state"] == "invalid" and done.json()["current_state_label"] == "无效"


def test_not_publishable_penalty_is_refused_with_its_code(api_for, clerk):
    client = api_for(clerk)
    data = penalty_data(penalty_categories="警告", fine_amount="", procedure="simple", decision_date="2026-05-06")
    pk = client.post(PENALTIES, data, format="json").json()["id"]
    response = client.post(f"{PENALTIES}{pk}/publish/")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "not_publishable"


def test_clerk_of_b_gets_404_on_a_record_of_a(api_for, clerk, clerk_b):
    pk = api_for(clerk).post(PENALTIES, penalty_data(), format="json").json()["id"]
    other = api_for(clerk_b)
    assert other.get(f"{PENALTIES}{pk}/").status_code == 404
    assert other.patch(f"{PENALTIES}{pk}/", {"content": "x"}, format="json").status_code == 404
    assert other.post(f"{PENALTIES}{pk}/publish/").status_code == 404
    assert other.post(f"{PENALTIES}{pk}/withdraw/", {"reason": "x", "document": "y"}, format="json").status_code == 404
    assert other.get(PENALTIES).json()["count"] == 0


def test_reviewer_sees_all_departments_but_cannot_file(api_for, reviewer, department_a, department_b):
    PenaltyFactory(department=department_a)
    PenaltyFactory(department=department_b)
    client = api_for(reviewer)
    assert client.get(PENALTIES).json()["count"] == 2
    assert client.post(PENALTIES, penalty_data(), format="json").status_code == 403


def test_no_delete(api_for, clerk):
    record = PenaltyFactory(department=clerk.department)
    assert api_for(clerk).delete(f"{PENALTIES}{record.pk}/").status_code in (403, 405)
    assert Penalty.objects.filter(pk=record.pk).exists()


def test_filters_status_timeliness_dates_and_q(api_for, clerk):
    PenaltyFactory(department=clerk.department, subject_name="甲公司", timeliness="overdue")
    PenaltyFactory(department=clerk.department, subject_name="乙公司", published=True, decision_date="2023-01-05")
    client = api_for(clerk)
    assert client.get(PENALTIES, {"timeliness": "overdue"}).json()["count"] == 1
    assert client.get(PENALTIES, {"status": "published"}).json()["count"] == 1
    assert client.get(PENALTIES, {"decision_date_before": "2023-12-31"}).json()["count"] == 1
    assert client.get(PENALTIES, {"q": "甲"}).json()["results"][0]["subject_name"] == "甲公司"


@pytest.mark.parametrize(("url", "factory"), [(PENALTIES, PenaltyFactory), (LICENSINGS, LicensingFactory)])
def test_list_query_count_does_not_grow_with_rows(api_for, clerk, url, factory, django_assert_max_num_queries):
    client = api_for(clerk)
    factory.create_batch(3, department=clerk.department)
    client.get(url)  # warm the content-type and permission caches
    with django_assert_max_num_queries(8) as few:
        client.get(url)
    factory.create_batch(30, department=clerk.department)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.json()["count"] == 33


def test_compliance_api_gives_the_rate(api_for, reviewer, department_a):
    PenaltyFactory.create_batch(3, department=department_a, published=True)
    PenaltyFactory(department=department_a, timeliness="overdue")
    rows = api_for(reviewer).get("/api/v1/disclosure/compliance/").json()["results"]
    row = next(r for r in rows if r["department_id"] == department_a.pk)
    assert (row["on_time"], row["overdue"], row["compliance_rate"]) == (3, 1, 75.0)


def test_schema_documents_the_endpoints(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    assert "/api/v1/disclosure/penalties/{id}/publish/" in schema["paths"]
    assert "/api/v1/disclosure/licensings/{id}/withdraw/" in schema["paths"]


def test_licensing_service_and_api_agree(api_for, clerk):
    response = api_for(clerk).post(
        LICENSINGS, licensing_data(licence_category="特许", valid_to="2099-12-31"), format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["licence_category"] == "special"
    assert Licensing.objects.get().valid_to.isoformat() == "2099-12-31"
    assert services.file_licensing  # the API went through the service: the audit row exists


def test_revocation_is_noted_through_the_api(api_for, clerk):
    client = api_for(clerk)
    pk = client.post(PENALTIES, penalty_data(), format="json").json()["id"]
    client.post(f"{PENALTIES}{pk}/publish/")
    response = client.post(f"{PENALTIES}{pk}/revocation/", {"revoked_on": "2024-09-27"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["withdrawal_due_date"] == "2024-10-08"


def test_compliance_api_query_count_does_not_grow_with_departments(api_for, reviewer, django_assert_max_num_queries):
    from tests.registry.factories import DepartmentFactory

    client = api_for(reviewer)
    client.get("/api/v1/disclosure/compliance/")
    with django_assert_max_num_queries(10) as few:
        client.get("/api/v1/disclosure/compliance/")
    for n in range(5):
        PenaltyFactory(department=DepartmentFactory(name=f"新增部门{n}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/api/v1/disclosure/compliance/")
