"""Clerk and reviewer pages: lists with badges, filing form with per-field errors, publish and withdraw, dashboard."""

from __future__ import annotations

import pytest

from django.urls import reverse
from django.utils import timezone

from disclosure.choices import RecordStatus
from disclosure.models import Penalty
from tests.disclosure.factories import LicensingFactory, PenaltyFactory, penalty_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client


def form_data(**overrides) -> dict:
    data = penalty_data(**overrides)
    return {key: value for key, value in data.items()}


def test_list_shows_own_records_with_badges(clerk_client, clerk, department_b):
    PenaltyFactory(department=clerk.department, subject_name="本部门公司", timeliness="overdue")
    PenaltyFactory(department=department_b, subject_name="别的部门公司")
    response = clerk_client.get(reverse("disclosure-penalties"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "本部门公司" in text and "别的部门公司" not in text
    assert "逾期未公示" in text


def test_list_filters_by_timeliness(clerk_client, clerk):
    PenaltyFactory(department=clerk.department, subject_name="逾期公司", timeliness="overdue")
    PenaltyFactory(department=clerk.department, subject_name="按时公司", published=True)
    text = clerk_client.get(reverse("disclosure-penalties"), {"timeliness": "on_time"}).content.decode()
    assert "按时公司" in text and "逾期公司" not in text


def test_filing_form_shows_errors_from_the_validation_module(clerk_client):
    data = form_data(fine_amount="", decision_date="2024-02-30")
    response = clerk_client.post(reverse("disclosure-penalty-create"), data)
    assert response.status_code == 200
    form = response.context["form"]
    assert "处罚类别含“罚款”时必须填写罚款金额" in form.errors["fine_amount"][0]
    assert "不是有效日期" in form.errors["decision_date"][0]
    assert not Penalty.objects.exists()


def test_filing_then_publishing_through_the_pages(clerk_client):
    today = timezone.localdate().isoformat()
    response = clerk_client.post(reverse("disclosure-penalty-create"), form_data(decision_date=today))
    penalty = Penalty.objects.get()
    assert response.status_code == 302 and response.url == penalty.get_absolute_url()
    detail = clerk_client.get(penalty.get_absolute_url()).content.decode()
    assert "公示" in detail and "csrfmiddlewaretoken" in detail
    clerk_client.post(reverse("disclosure-penalty-publish", args=[penalty.pk]))
    penalty.refresh_from_db()
    assert penalty.status == RecordStatus.PUBLISHED
    assert "已排队" in clerk_client.get(penalty.get_absolute_url()).content.decode()


def test_publish_needs_post(clerk_client, clerk):
    penalty = PenaltyFactory(department=clerk.department)
    assert clerk_client.get(reverse("disclosure-penalty-publish", args=[penalty.pk])).status_code == 405


def test_edit_of_a_published_record_creates_a_version_shown_in_the_history(clerk_client, clerk):
    from disclosure import services

    penalty = services.file_penalty(by=clerk, department=clerk.department, data=penalty_data())
    services.publish_penalty(penalty=penalty, by=clerk)
    url = reverse("disclosure-penalty-edit", args=[penalty.pk])
    assert clerk_client.get(url).status_code == 200
    response = clerk_client.post(url, form_data(content="更正后的处罚内容", reason="笔误"))
    assert response.status_code == 302
    penalty.refresh_from_db()
    assert penalty.version == 2
    detail = clerk_client.get(penalty.get_absolute_url()).content.decode()
    assert "第 1 版" in detail and "笔误" in detail


def test_withdraw_page_requires_reason_and_document(clerk_client, clerk):
    licence = LicensingFactory(department=clerk.department)
    url = reverse("disclosure-licensing-withdraw", args=[licence.pk])
    response = clerk_client.post(url, {"reason": "", "document": ""})
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    response = clerk_client.post(url, {"reason": "录入错误", "document": "情况说明"})
    assert response.status_code == 302
    licence.refresh_from_db()
    assert licence.status == RecordStatus.WITHDRAWN


def test_another_departments_record_is_a_404(clerk_client, department_b):
    record = PenaltyFactory(department=department_b)
    assert clerk_client.get(reverse("disclosure-penalty-detail", args=[record.pk])).status_code == 404
    assert clerk_client.post(reverse("disclosure-penalty-publish", args=[record.pk])).status_code == 404
    assert clerk_client.get(reverse("disclosure-penalty-edit", args=[record.pk])).status_code == 404


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("disclosure-penalties"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_dashboard_for_reviewer_shows_every_department(client, reviewer, department_a, department_b):
    PenaltyFactory.create_batch(3, department=department_a, published=True)
    PenaltyFactory(department=department_a, timeliness="overdue", document_number="逾期〔2024〕1号")
    PenaltyFactory(department=department_b, published=True, timeliness="late")
    client.force_login(reviewer)
    response = client.get(reverse("disclosure-compliance"))
    text = response.content.decode()
    assert department_a.name in text and department_b.name in text
    assert "75.0%" in text
    assert "逾期〔2024〕1号" in text


def test_dashboard_for_clerk_shows_own_department_only(clerk_client, department_b):
    text = clerk_client.get(reverse("disclosure-compliance")).content.decode()
    assert department_b.name not in text


def test_list_page_query_count_does_not_grow(clerk_client, clerk, django_assert_max_num_queries):
    PenaltyFactory.create_batch(3, department=clerk.department)
    clerk_client.get(reverse("disclosure-penalties"))
    with django_assert_max_num_queries(20) as few:
        clerk_client.get(reverse("disclosure-penalties"))
    PenaltyFactory.create_batch(30, department=clerk.department)
    with django_assert_max_num_queries(len(few.captured_queries)):
        clerk_client.get(reverse("disclosure-penalties"))


def test_staff_home_block_counts_pending_and_overdue(clerk, department_a):
    import datetime

    from disclosure.selectors import staff_home_blocks

    PenaltyFactory(department=department_a, timeliness="overdue")
    PenaltyFactory(department=department_a, timeliness="pending")
    LicensingFactory(department=department_a, timeliness="pending")
    [block] = staff_home_blocks(user=clerk, today=datetime.date(2024, 3, 27))
    counts = {item["label"]: item["count"] for item in block["items"]}
    assert counts == {"行政处罚待公示": 1, "行政处罚逾期未公示": 1, "行政许可待公示": 1, "行政许可逾期未公示": 0}


def test_noting_a_revocation_on_the_detail_page(clerk_client, clerk):
    from disclosure import services

    penalty = services.file_penalty(by=clerk, department=clerk.department, data=penalty_data())
    services.publish_penalty(penalty=penalty, by=clerk)
    assert "登记撤销或变更" in clerk_client.get(penalty.get_absolute_url()).content.decode()
    clerk_client.post(reverse("disclosure-penalty-revocation", args=[penalty.pk]), {"revoked_on": "2024-09-27"})
    penalty.refresh_from_db()
    assert penalty.withdrawal_due_date.isoformat() == "2024-10-08"
    assert "已逾期" in clerk_client.get(penalty.get_absolute_url()).content.decode()


def test_both_halves_of_the_decision_date_range_have_an_accessible_name(clerk_client):
    html = clerk_client.get(reverse("disclosure-penalties")).content.decode()
    assert 'name="decision_date_after" aria-label="决定日期（起）"' in html
    assert 'name="decision_date_before" aria-label="决定日期（止）"' in html
