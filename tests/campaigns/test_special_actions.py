"""Special actions (seed 001): monthly progress reports, who has not reported, reminders."""

import datetime

import pytest

from campaigns import selectors, services
from campaigns.models import SpecialAction
from credit_portal.errors import NotFound
from credit_portal.models import Notification

pytestmark = pytest.mark.django_db


def test_a_participating_unit_files_its_monthly_report(clerk, api_for, linked):
    action = SpecialAction.objects.get(number=7)  # 假药问题专项治理, led by 区市场监管局
    response = api_for(clerk).post(
        f"/api/v1/campaigns/actions/{action.pk}/reports/",
        {"period": "2026-11-15", "text": "检查药店 12 家。", "figures": {"检查药店": 12}},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["period"] == "2026-11-01"


def test_a_second_report_for_the_same_month_is_refused_with_its_code(clerk, api_for, linked):
    action = SpecialAction.objects.get(number=7)
    client = api_for(clerk)
    payload = {"period": "2026-11-01", "text": "进展。"}
    assert client.post(f"/api/v1/campaigns/actions/{action.pk}/reports/", payload, format="json").status_code == 201
    response = client.post(f"/api/v1/campaigns/actions/{action.pk}/reports/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "duplicate_report"


def test_a_unit_outside_the_action_gets_404(clerk_b, linked):
    action = SpecialAction.objects.get(number=7)  # 区税务局 takes no part in action 7
    with pytest.raises(NotFound):
        services.submit_action_report(by=clerk_b, action=action, period=datetime.date(2026, 11, 1), text="x")


def test_the_office_sees_who_has_not_reported_this_month(clerk, reviewer, api_for, linked):
    services.submit_action_report(
        by=clerk, action=SpecialAction.objects.get(number=7), period=datetime.date(2026, 11, 1), text="进展。"
    )
    missing = selectors.missing_action_reports(period=datetime.date(2026, 11, 1))
    pairs = {(row.action.number, row.department.name) for row in missing}
    assert (7, "区市场监管局") not in pairs
    assert (2, "区市场监管局") in pairs and (10, "区税务局") in pairs
    response = api_for(reviewer).get("/api/v1/campaigns/actions/missing/", {"period": "2026-11", "page_size": 100})
    assert response.json()["count"] == len(pairs)


def test_reminders_go_out_after_the_due_day_once_per_unit_and_month(clerk, clerk_b, linked):
    assert services.remind_missing_action_reports(today=datetime.date(2026, 12, 10)) == 0  # still in time
    assert services.remind_missing_action_reports(today=datetime.date(2026, 12, 11)) == 2
    services.remind_missing_action_reports(today=datetime.date(2026, 12, 12))
    note = Notification.objects.get(user=clerk, kind="campaigns.action_report_missing")
    assert "2026-11" in note.message and "7" in note.message
    assert Notification.objects.filter(user=clerk_b).count() == 1


def test_action_list_query_count_does_not_grow(reviewer, api_for, linked, django_assert_max_num_queries):
    services.link_seed_departments(create_missing=True)
    client = api_for(reviewer)
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/campaigns/actions/", {"page_size": 100})
    assert response.json()["count"] == 20
    assert all(action["departments"] for action in response.json()["results"])


def test_the_public_list_of_actions_names_their_units(api_client, linked, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = api_client.get("/api/v1/public/special-actions/", {"page_size": 100})
    seventh = next(a for a in response.json()["results"] if a["number"] == 7)
    assert {"id": linked[0].pk, "name": "区市场监管局", "role": "lead"} in seventh["departments"]


def test_a_report_may_carry_an_attachment_sent_as_multipart(clerk, api_for, linked):
    from django.core.files.uploadedfile import SimpleUploadedFile

    action = SpecialAction.objects.get(number=7)
    attachment = SimpleUploadedFile("table.pdf", b"%PDF-1.4 figures", content_type="application/pdf")
    response = api_for(clerk).post(
        f"/api/v1/campaigns/actions/{action.pk}/reports/",
        {"period": "2026-10-01", "text": "附检查台账。", "attachment": attachment},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    assert action.reports.get().attachment.name.endswith(".pdf")


def test_the_staff_page_files_a_report_and_refuses_a_second_one(clerk, client, linked):
    action = SpecialAction.objects.get(number=7)
    client.force_login(clerk)
    url = f"/staff/campaigns/actions/{action.pk}/report/"
    assert client.post(url, {"period": "2026-11-01", "text": "进展。"}).status_code == 302
    response = client.post(url, {"period": "2026-11-20", "text": "再报。"})
    assert response.status_code == 200 and "本单位本月已报送" in response.content.decode()
    client.force_login(clerk)
    other = SpecialAction.objects.get(number=10)  # not an action of 区市场监管局
    assert client.get(f"/staff/campaigns/actions/{other.pk}/report/").status_code == 404
