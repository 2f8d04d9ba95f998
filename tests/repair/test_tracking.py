"""Tracking by number + contact, on the page and the public API; one applicant cannot read another's (DOMAIN §8)."""

from __future__ import annotations

import pytest

from repair import services
from repair.choices import ApplicationStatus

from .factories import file, pdf, repairable_penalty

pytestmark = pytest.mark.django_db
URL = "/api/v1/public/repair-applications/track/"


def test_status_by_number_and_phone_shows_each_step_with_its_date(api_client, reviewer):
    application = file(repairable_penalty())
    services.accept_application(application=application, by=reviewer)
    answer = api_client.post(URL, {"tracking_number": application.tracking_number, "contact": "13800138000"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["status"] == ApplicationStatus.ACCEPTED
    assert [step["action"] for step in body["steps"]] == ["submitted", "accepted"]
    assert all(step["at"] for step in body["steps"])
    assert "contact_phone" not in body and "contact_email" not in body


def test_email_works_as_contact_case_insensitively(api_client):
    application = file(repairable_penalty())
    answer = api_client.post(
        URL, {"tracking_number": application.tracking_number.lower(), "contact": "Applicant@Example.com"}
    )
    assert answer.status_code == 200


def test_wrong_contact_is_the_same_404_as_a_wrong_number(api_client):
    application = file(repairable_penalty())
    other = file(repairable_penalty(), contact_phone="13900000000", contact_email="other@example.com")
    wrong_contact = api_client.post(URL, {"tracking_number": application.tracking_number, "contact": "13900000000"})
    wrong_number = api_client.post(URL, {"tracking_number": "R2026112599999-ABCD", "contact": "13800138000"})
    assert wrong_contact.status_code == wrong_number.status_code == 404
    assert wrong_contact.json() == wrong_number.json()
    assert other.tracking_number not in wrong_contact.content.decode()


def test_tracking_page_shows_the_status_and_hides_others(client):
    application = file(repairable_penalty())
    page = client.post("/repair/track/", {"tracking_number": application.tracking_number, "contact": "13800138000"})
    assert page.status_code == 200
    assert "已提交，待受理" in page.content.decode()
    refused = client.post("/repair/track/", {"tracking_number": application.tracking_number, "contact": "13900000000"})
    assert refused.status_code == 404
    assert "已提交，待受理" not in refused.content.decode()


def test_applicant_uploads_requested_materials_on_the_status_page(client, reviewer):
    application = file(repairable_penalty())
    services.request_materials(application=application, by=reviewer, note="请补充缴款凭证")
    page = client.post(
        "/repair/track/",
        {
            "tracking_number": application.tracking_number,
            "contact": "13800138000",
            "supplement": "1",
            "materials": pdf("凭证.pdf"),
        },
    )
    assert page.status_code == 200
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.materials.filter(is_supplement=True).count() == 1


def test_public_api_files_a_repair_with_a_pdf(api_client):
    penalty = repairable_penalty()
    answer = api_client.post(
        "/api/v1/public/repair-applications/",
        {
            "kind": "repair",
            "target_kind": "行政处罚",
            "document_number": penalty.document_number,
            "subject_name": penalty.subject_name,
            "uscc": penalty.subject.uscc,
            "statement": "已缴清罚款",
            "contact_name": "李",
            "contact_phone": "13800138000",
            "materials": [pdf()],
        },
        format="multipart",
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["tracking_number"].startswith("R")


def test_public_api_refusal_names_the_rule(api_client):
    penalty = repairable_penalty(is_repairable=False)
    answer = api_client.post(
        "/api/v1/public/repair-applications/",
        {
            "kind": "repair",
            "target_kind": "penalty",
            "document_number": penalty.document_number,
            "subject_name": penalty.subject_name,
            "uscc": penalty.subject.uscc,
            "statement": "x",
            "contact_name": "李",
            "contact_email": "a@example.com",
        },
        format="multipart",
    )
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["code"] == "not_repairable"


def test_public_api_supplement_with_wrong_contact_is_404(api_client, reviewer):
    application = file(repairable_penalty())
    services.request_materials(application=application, by=reviewer, note="补充")
    answer = api_client.post(
        "/api/v1/public/repair-applications/supplement/",
        {"tracking_number": application.tracking_number, "contact": "13900000000", "materials": [pdf()]},
        format="multipart",
    )
    assert answer.status_code == 404
