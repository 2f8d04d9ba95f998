"""Complaints: filed by the public without an account, routed by the office, answered by the department."""

import datetime

import pytest

from django.core.files.uploadedfile import SimpleUploadedFile

from campaigns import services
from campaigns.choices import ComplaintStatus
from campaigns.models import Complaint, ComplaintPolicy
from credit_portal.errors import PermissionDenied, TransitionNotAllowed
from credit_portal.models import AuditEvent, Notification
from tests.campaigns.factories import ComplaintFactory

pytestmark = pytest.mark.django_db

FILING = {
    "kind": "business",
    "accused_name": "天津某某教育培训有限公司",
    "facts": "预收学费后停课，拒不退款。",
    "contact_name": "王秀兰",
    "contact_phone": "13912345678",
}


def test_the_public_files_a_complaint_without_an_account_and_gets_a_tracking_number(api_client):
    response = api_client.post("/api/v1/public/complaints/", FILING, format="json")
    assert response.status_code == 201
    number = response.json()["tracking_number"]
    assert number.startswith("TS") and len(number) == 18
    complaint = Complaint.objects.get(tracking_number=number)
    assert complaint.status == ComplaintStatus.RECEIVED and complaint.contact_phone == "13912345678"


def test_a_chinese_label_is_accepted_for_the_complaint_kind(api_client):
    response = api_client.post("/api/v1/public/complaints/", {**FILING, "kind": "商务失信"}, format="json")
    assert response.status_code == 201
    assert Complaint.objects.get().kind == "business"


def test_evidence_files_are_uploaded_with_the_complaint(api_client):
    evidence = SimpleUploadedFile("receipt.pdf", b"%PDF-1.4 receipt", content_type="application/pdf")
    response = api_client.post("/api/v1/public/complaints/", {**FILING, "evidence": [evidence]}, format="multipart")
    assert response.status_code == 201
    assert Complaint.objects.get().evidence.count() == 1


def test_a_complaint_needs_a_contact_unless_anonymous(api_client):
    response = api_client.post("/api/v1/public/complaints/", {**FILING, "contact_phone": ""}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "contact_required"
    anonymous = {**FILING, "contact_phone": "", "is_anonymous": True}
    assert api_client.post("/api/v1/public/complaints/", anonymous, format="json").status_code == 201
    assert Complaint.objects.get().contact_name == ""  # nothing kept that no rule asks for


def test_tracking_never_shows_the_complainants_personal_data(api_client, client):
    number = api_client.post("/api/v1/public/complaints/", FILING, format="json").json()["tracking_number"]
    body = api_client.get(f"/api/v1/public/complaints/{number}/").content.decode()
    page = client.get("/campaigns/complaints/track/", {"number": number}).content.decode()
    for text in (body, page):
        assert "王秀兰" not in text and "13912345678" not in text
    assert "天津某某教育培训有限公司" in body and number in page
    assert not AuditEvent.objects.filter(detail__icontains="13912345678").exists()


def test_an_unknown_tracking_number_is_a_404(api_client):
    assert api_client.get("/api/v1/public/complaints/TS20260101AAAAAAAA/").status_code == 404


def test_filing_is_rate_limited_with_the_error_shape(api_client, settings):
    settings.CAMPAIGNS_COMPLAINT_RATE = "2/hour"
    for _ in range(2):
        assert api_client.post("/api/v1/public/complaints/", FILING, format="json").status_code == 201
    response = api_client.post("/api/v1/public/complaints/", FILING, format="json")
    assert response.status_code == 429
    assert response.json()["errors"][0]["code"] == "throttled"


def test_assignment_sets_the_deadline_in_working_days_from_the_policy(reviewer, department_a):
    complaint = ComplaintFactory()
    # Friday 2026-11-20; 15 working days, the assignment day not counted: Monday 23 … Friday 2026-12-11.
    complaint = services.assign_complaint(
        by=reviewer, complaint=complaint, department=department_a, today=datetime.date(2026, 11, 20)
    )
    assert complaint.status == ComplaintStatus.ASSIGNED
    assert complaint.due_date == datetime.date(2026, 12, 11)
    assert complaint.is_due_date_provisional is False


def test_the_handling_time_is_data_effective_by_date(reviewer, department_a):
    ComplaintPolicy.objects.create(effective_from=datetime.date(2026, 1, 1), handling_working_days=5)
    complaint = services.assign_complaint(
        by=reviewer, complaint=ComplaintFactory(), department=department_a, today=datetime.date(2026, 11, 20)
    )
    assert complaint.due_date == datetime.date(2026, 11, 27)


def test_the_deadline_skips_the_national_day_holiday(reviewer, department_a):
    ComplaintPolicy.objects.create(effective_from=datetime.date(2026, 1, 1), handling_working_days=1)
    complaint = services.assign_complaint(
        by=reviewer, complaint=ComplaintFactory(), department=department_a, today=datetime.date(2026, 9, 30)
    )
    assert complaint.due_date > datetime.date(2026, 10, 7)


def test_only_the_office_routes_complaints(clerk, department_a, api_for):
    complaint = ComplaintFactory()
    with pytest.raises(PermissionDenied):
        services.assign_complaint(by=clerk, complaint=complaint, department=department_a)
    response = api_for(clerk).post(
        f"/api/v1/campaigns/complaints/{complaint.pk}/assign/", {"department": department_a.pk}
    )
    assert response.status_code in (403, 404)


def test_the_assigned_department_answers_and_the_public_reads_the_answer(reviewer, clerk, api_for, api_client):
    complaint = ComplaintFactory()
    response = api_for(reviewer).post(
        f"/api/v1/campaigns/complaints/{complaint.pk}/assign/", {"department": clerk.department_id}, format="json"
    )
    assert response.status_code == 200, response.content
    assert Notification.objects.filter(user=clerk, kind="campaigns.complaint_assigned").count() == 1
    response = api_for(clerk).post(
        f"/api/v1/campaigns/complaints/{complaint.pk}/answer/", {"answer": "经查属实，已责令退款。"}, format="json"
    )
    assert response.status_code == 200, response.content
    tracked = api_client.get(f"/api/v1/public/complaints/{complaint.tracking_number}/").json()
    assert tracked["status"] == "answered" and tracked["answer"] == "经查属实，已责令退款。"
    assert tracked["department_name"] == clerk.department.name


def test_another_departments_clerk_cannot_see_or_answer_the_complaint(reviewer, department_a, clerk_b, api_for):
    complaint = services.assign_complaint(by=reviewer, complaint=ComplaintFactory(), department=department_a)
    client = api_for(clerk_b)
    assert client.get(f"/api/v1/campaigns/complaints/{complaint.pk}/").status_code == 404
    response = client.post(f"/api/v1/campaigns/complaints/{complaint.pk}/answer/", {"answer": "x"}, format="json")
    assert response.status_code == 404


def test_an_answered_complaint_cannot_be_answered_or_reassigned_again(reviewer, clerk, department_b):
    complaint = services.assign_complaint(by=reviewer, complaint=ComplaintFactory(), department=clerk.department)
    services.answer_complaint(by=clerk, complaint=complaint, answer="已办结。")
    with pytest.raises(TransitionNotAllowed):
        services.answer_complaint(by=clerk, complaint=complaint, answer="再次答复。")
    with pytest.raises(TransitionNotAllowed):
        services.assign_complaint(by=reviewer, complaint=complaint, department=department_b)


def test_the_office_may_decline_a_complaint_with_a_reason(reviewer, api_for, api_client):
    complaint = ComplaintFactory()
    response = api_for(reviewer).post(
        f"/api/v1/campaigns/complaints/{complaint.pk}/reject/", {"reason": "不属于诚信建设投诉范围。"}, format="json"
    )
    assert response.status_code == 200
    assert api_client.get(f"/api/v1/public/complaints/{complaint.tracking_number}/").json()["status"] == "rejected"


def test_overdue_complaints_are_flagged_in_one_pass_and_notified_once(reviewer, clerk, department_a):
    overdue = [
        services.assign_complaint(
            by=reviewer, complaint=ComplaintFactory(), department=department_a, today=datetime.date(2026, 10, 9)
        )
        for _ in range(3)
    ]
    on_time = services.assign_complaint(by=reviewer, complaint=ComplaintFactory(), department=department_a)
    assert services.flag_overdue_complaints(today=datetime.date(2026, 11, 25)) == 3
    assert services.flag_overdue_complaints(today=datetime.date(2026, 11, 26)) == 0
    assert set(Complaint.objects.filter(is_overdue=True)) == set(overdue)
    on_time.refresh_from_db()
    assert not on_time.is_overdue
    assert Notification.objects.filter(user=clerk, kind="campaigns.complaint_overdue").count() == 3


def test_the_overdue_job_uses_a_fixed_number_of_queries(reviewer, department_a, django_assert_max_num_queries):
    for _ in range(20):
        services.assign_complaint(
            by=reviewer, complaint=ComplaintFactory(), department=department_a, today=datetime.date(2026, 10, 9)
        )
    with django_assert_max_num_queries(8):
        services.flag_overdue_complaints(today=datetime.date(2026, 11, 25))


def test_staff_complaint_list_query_count_does_not_grow(reviewer, api_for, django_assert_max_num_queries):
    ComplaintFactory.create_batch(30)
    client = api_for(reviewer)
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/campaigns/complaints/")
    assert response.json()["count"] == 30


def test_evidence_must_really_be_a_pdf_or_an_image(api_client):
    fake = SimpleUploadedFile("evidence.pdf", b"<html><script>x</script></html>", content_type="application/pdf")
    response = api_client.post("/api/v1/public/complaints/", {**FILING, "evidence": [fake]}, format="multipart")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "invalid_file_type"
    assert not Complaint.objects.exists()  # nothing half-filed
