"""Staff API of list entries (DOMAIN §6, §11): scoping, roles and the workflow actions."""

from __future__ import annotations

import pytest

from credit_portal.exchange.models import OutboxEvent
from sanctions.models import ListEntry
from tests.registry.factories import SubjectFactory, make_uscc

from .factories import ListEntryFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/sanctions/list-entries/"


def test_clerk_proposes_and_reviewer_decides_and_publishes_through_the_api(api_for, clerk, reviewer):
    subject = SubjectFactory()
    clerk_api, reviewer_api = api_for(clerk), api_for(reviewer)
    created = clerk_api.post(
        URL, {"list_type": "samr_serious", "subject_id": subject.pk, "reason": "严重违法"}, format="json"
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    notice = clerk_api.post(
        f"{URL}{pk}/serve-notice/", {"notice_date": "2026-11-20", "document_number": "告1号"}, format="json"
    )
    assert notice.json()["statement_due_date"] == "2026-11-27"
    clerk_api.post(f"{URL}{pk}/record-statement/", {"statement": "无异议"}, format="json")
    assert (
        clerk_api.post(
            f"{URL}{pk}/decide/", {"document_number": "决1号", "decision_date": "2026-12-01"}, format="json"
        ).status_code
        == 403
    )
    decided = reviewer_api.post(
        f"{URL}{pk}/decide/", {"document_number": "决1号", "decision_date": "2026-12-01"}, format="json"
    )
    assert decided.json()["status"] == "decided"
    published = reviewer_api.post(f"{URL}{pk}/publish/", {}, format="json")
    assert published.json()["status"] == "published"
    assert [step["status"] for step in published.json()["steps"]] == [
        "proposed",
        "notice_served",
        "statement_recorded",
        "decided",
        "published",
    ]
    assert OutboxEvent.objects.filter(object_id=pk, action="upsert").count() == 1
    removed = reviewer_api.post(f"{URL}{pk}/remove/", {"reason": "决定撤销"}, format="json")
    assert removed.json()["removal_reason"] == "revoked"


def test_proposal_by_subject_code_registers_the_subject(api_for, clerk):
    code = make_uscc(seed=4242)
    response = api_for(clerk).post(
        URL,
        {
            "list_type": "wage_arrears",
            "subject_name": "天津某建筑劳务有限公司",
            "uscc": code,
            "legal_representative": "赵六",
            "reason": "拖欠农民工工资",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert ListEntry.objects.get().subject.uscc == code


def test_overlap_is_refused_with_its_code(api_for, clerk):
    subject = SubjectFactory()
    api = api_for(clerk)
    payload = {"list_type": "samr_serious", "subject_id": subject.pk, "reason": "x"}
    assert api.post(URL, payload, format="json").status_code == 201
    response = api.post(URL, payload, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "overlapping_entry"


def test_clerk_of_b_gets_404_on_a_proposal_of_a(api_for, clerk, clerk_b):
    entry = ListEntryFactory(department=clerk.department, status="proposed", published_at=None)
    api = api_for(clerk_b)
    assert api.get(f"{URL}{entry.pk}/").status_code == 404
    response = api.post(
        f"{URL}{entry.pk}/serve-notice/", {"notice_date": "2026-11-20", "document_number": "x"}, format="json"
    )
    assert response.status_code == 404


def test_refused_transition_is_a_400_with_its_code(api_for, clerk, reviewer):
    entry = ListEntryFactory(department=clerk.department, status="proposed", published_at=None)
    response = api_for(reviewer).post(f"{URL}{entry.pk}/publish/", {}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "transition_not_allowed"


def test_staff_list_is_scoped_and_flat_in_queries(api_for, clerk, clerk_b, django_assert_max_num_queries):
    ListEntryFactory.create_batch(8, department=clerk.department)
    ListEntryFactory.create_batch(3, department=clerk_b.department)
    api = api_for(clerk)
    with django_assert_max_num_queries(6):
        response = api.get(URL)
    assert response.json()["count"] == 8


def test_catalogue_is_readable_by_staff(api_for, clerk):
    body = api_for(clerk).get("/api/v1/sanctions/measures/", {"page_size": 100}).json()
    sanctions = [m for m in body["results"] if m["kind"] == "sanction"]
    assert len(sanctions) >= 30
    assert {m["measure_class"] for m in sanctions} == {"1", "2", "3"}
    types = api_for(clerk).get("/api/v1/sanctions/list-types/", {"page_size": 100}).json()["results"]
    assert {"sxbzxr", "tax_major", "wage_arrears", "samr_serious", "tax_a", "customs_aeo"} <= {
        t["code"] for t in types
    }


def test_a_natural_person_is_proposed_by_id_number_which_the_answer_never_shows(api_for, clerk):
    from tests.registry.factories import make_resident_id

    number = make_resident_id(seed=31)
    response = api_for(clerk).post(
        URL,
        {
            "list_type": "sxbzxr",
            "subject_category": "自然人",
            "subject_name": "刘某某",
            "id_type": "身份证",
            "id_number": number,
            "reason": "有履行能力而拒不履行",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert number not in response.content.decode()
    assert ListEntry.objects.get().subject.is_natural_person


@pytest.mark.parametrize("path", ["/api/v1/sanctions/measures/", "/api/v1/sanctions/list-types/"])
def test_catalogue_lists_take_a_fixed_number_of_queries(api_for, clerk, path, django_assert_max_num_queries):
    api = api_for(clerk)
    api.get(path)  # the user's role is read once and cached per request; warm the token table too
    with django_assert_max_num_queries(5):
        assert api.get(path, {"page_size": 100}).status_code == 200
