"""Staff pages of the sanctions app: credit check form, upload, results, feedback, export, statistics, workflow."""

from __future__ import annotations

import datetime
import io

import pytest
from openpyxl import Workbook, load_workbook

from django.core.files.uploadedfile import SimpleUploadedFile

from sanctions.choices import EntryStatus
from sanctions.models import CreditCheck, ListEntry, MeasureFeedback
from tests.registry.factories import SubjectFactory, make_uscc

from .factories import ListEntryFactory, list_type

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client


def test_single_check_from_the_page_shows_the_hit_and_its_measures(clerk_client):
    entry = ListEntryFactory(list_type=list_type("sxbzxr"))
    response = clerk_client.post(
        "/staff/sanctions/checks/",
        {"check-matter": "state_enterprise_posts", "check-codes": entry.subject.uscc},
        follow=True,
    )
    text = response.content.decode()
    assert "失信被执行人" in text
    assert "限制担任国有企业法定代表人" in text
    assert CreditCheck.objects.get().source == "page"


def test_upload_csv_with_header_keeps_order_and_reports_bad_lines(clerk_client):
    good = SubjectFactory()
    content = f"统一社会信用代码\n{good.uscc}\nBAD\n{make_uscc(seed=77)}\n".encode("utf-8-sig")
    response = clerk_client.post(
        "/staff/sanctions/checks/upload/",
        {"upload-matter": "administrative_licensing", "upload-file": SimpleUploadedFile("codes.csv", content)},
    )
    assert response.status_code == 302
    check = CreditCheck.objects.get()
    assert list(check.items.values_list("query", "status")) == [
        (good.uscc, "found"),
        ("BAD", "invalid"),
        (make_uscc(seed=77), "unknown"),
    ]


def test_upload_xlsx(clerk_client):
    good = SubjectFactory()
    workbook = Workbook()
    workbook.active.append(["代码"])
    workbook.active.append([good.uscc])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("codes.xlsx", buffer.getvalue())
    response = clerk_client.post(
        "/staff/sanctions/checks/upload/", {"upload-matter": "bidding", "upload-file": upload}
    )
    assert response.status_code == 302
    assert CreditCheck.objects.get().items.get().status == "found"


def test_results_download_as_xlsx_and_csv(clerk_client):
    entry = ListEntryFactory()
    clerk_client.post(
        "/staff/sanctions/checks/",
        {"check-matter": "government_procurement", "check-codes": f"{entry.subject.uscc}, X"},
    )
    check = CreditCheck.objects.get()
    xlsx = clerk_client.get(f"/staff/sanctions/checks/{check.pk}/export.xlsx")
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert rows[1][1] == entry.subject.uscc and "市场监督管理严重违法失信名单" in rows[1][4]
    assert rows[2][1] == "X"
    csv_text = clerk_client.get(f"/staff/sanctions/checks/{check.pk}/export.csv").content.decode("utf-8-sig")
    assert entry.subject.uscc in csv_text


def test_feedback_form_requires_a_reason_for_not_applied(clerk_client):
    entry = ListEntryFactory()
    clerk_client.post(
        "/staff/sanctions/checks/", {"check-matter": "government_procurement", "check-codes": entry.subject.uscc}
    )
    check = CreditCheck.objects.get()
    item = check.items.get()
    measure_id = item.result["measures"][0]["id"]
    field = f"fb-{item.pk}-{measure_id}"
    response = clerk_client.post(
        f"/staff/sanctions/checks/{check.pk}/feedback/", {f"{field}-outcome": "not_applied"}, follow=True
    )
    assert "未实施的措施必须说明原因" in response.content.decode()
    assert not MeasureFeedback.objects.exists()
    clerk_client.post(
        f"/staff/sanctions/checks/{check.pk}/feedback/",
        {f"{field}-outcome": "not_applied", f"{field}-reason": "合同已签订"},
    )
    assert MeasureFeedback.objects.get().reason == "合同已签订"


def test_check_pages_of_another_department_are_404(client, clerk, clerk_b):
    entry = ListEntryFactory()
    client.force_login(clerk)
    client.post("/staff/sanctions/checks/", {"check-matter": "other", "check-codes": entry.subject.uscc})
    check = CreditCheck.objects.get()
    client.force_login(clerk_b)
    assert client.get(f"/staff/sanctions/checks/{check.pk}/").status_code == 404
    assert client.get(f"/staff/sanctions/checks/{check.pk}/export.csv").status_code == 404


def test_statistics_page_is_for_the_credit_office(client, clerk, reviewer):
    client.force_login(clerk)
    assert client.get("/staff/sanctions/statistics/").status_code == 403
    client.force_login(reviewer)
    assert "联合奖惩反馈统计" in client.get("/staff/sanctions/statistics/").content.decode()


def test_workflow_from_the_entry_page(client, clerk, reviewer):
    subject = SubjectFactory()
    client.force_login(clerk)
    response = client.post(
        "/staff/sanctions/entries/new/",
        {
            "list_type": list_type("samr_serious").pk,
            "uscc": subject.uscc,
            "subject_category": "legal_entity",
            "reason": "严重违法",
        },
    )
    entry = ListEntry.objects.get()
    assert response.status_code == 302
    client.post(
        f"/staff/sanctions/entries/{entry.pk}/serve-notice/",
        {"serve-notice-notice_date": "2026-11-20", "serve-notice-document_number": "告1号"},
    )
    client.post(f"/staff/sanctions/entries/{entry.pk}/record-statement/", {"record-statement-statement": "无异议"})
    entry.refresh_from_db()
    assert (entry.status, entry.statement_due_date) == (EntryStatus.STATEMENT_RECORDED, datetime.date(2026, 11, 27))
    page = client.get(f"/staff/sanctions/entries/{entry.pk}/").content.decode()
    assert "作出列入决定" not in page  # a clerk does not decide
    client.force_login(reviewer)
    assert "作出列入决定" in client.get(f"/staff/sanctions/entries/{entry.pk}/").content.decode()
    client.post(
        f"/staff/sanctions/entries/{entry.pk}/decide/",
        {"decide-document_number": "决1号", "decide-decision_date": "2026-12-01"},
    )
    client.post(f"/staff/sanctions/entries/{entry.pk}/publish/", {})
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PUBLISHED


def test_entry_pages_of_another_department_are_404(client, clerk, clerk_b):
    entry = ListEntryFactory(department=clerk.department, status=EntryStatus.PROPOSED, published_at=None)
    client.force_login(clerk_b)
    assert client.get(f"/staff/sanctions/entries/{entry.pk}/").status_code == 404
    response = client.post(
        f"/staff/sanctions/entries/{entry.pk}/serve-notice/",
        {"serve-notice-notice_date": "2026-11-20", "serve-notice-document_number": "x"},
    )
    assert response.status_code == 404


def test_staff_entries_page_query_count_is_flat(client, clerk, django_assert_max_num_queries):
    ListEntryFactory.create_batch(15, department=clerk.department)
    client.force_login(clerk)
    with django_assert_max_num_queries(12):
        assert client.get("/staff/sanctions/entries/").status_code == 200
