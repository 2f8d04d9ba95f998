"""Public and staff pages of the campaigns app: they render, scope, sanitise and export."""

import datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook

from campaigns import services
from campaigns.models import LedgerTask, TaskDepartment
from tests.campaigns.factories import CampaignFactory, ComplaintFactory, RoleModelFactory, StarMerchantFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url",
    [
        "/campaigns/",
        "/campaigns/calendar/",
        "/campaigns/special-actions/",
        "/campaigns/role-models/",
        "/campaigns/star-merchants/",
        "/campaigns/complaints/new/",
        "/campaigns/complaints/track/",
    ],
)
def test_public_pages_render_for_anonymous_visitors(client, url):
    CampaignFactory(published=True)
    RoleModelFactory()
    StarMerchantFactory()
    assert client.get(url).status_code == 200


def test_the_home_page_shows_published_campaigns_and_the_key_dates(client):
    CampaignFactory(title="诚信兴商宣传月进社区", published=True, end_date=datetime.date(2099, 9, 30))
    CampaignFactory(title="尚未发布的活动", end_date=datetime.date(2099, 9, 30))
    body = client.get("/campaigns/").content.decode()
    assert "诚信兴商宣传月进社区" in body and "尚未发布的活动" not in body
    for label in ("3·15 国际消费者权益日", "6·14 信用记录关爱日", "知识产权宣传周", "12·4 国家宪法日", "安全生产月"):
        assert label in body


def test_an_unpublished_campaign_is_a_404_for_the_public(client):
    assert client.get(f"/campaigns/{CampaignFactory().pk}/").status_code == 404


def test_a_script_in_a_news_post_never_reaches_the_page(client, reviewer):
    campaign = CampaignFactory(published=True)
    services.add_campaign_post(
        by=reviewer,
        campaign=campaign,
        title="3·15 活动报道",
        body='<p onmouseover="steal()">现场发放倡议书<script>alert("x")</script></p><a href="javascript:evil()">链接</a>',
        posted_on=datetime.date(2026, 3, 15),
    )
    body = client.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert "现场发放倡议书" in body
    assert "<script>alert" not in body and "onmouseover" not in body and "javascript:" not in body


def test_a_persons_given_name_is_masked_in_the_gallery_and_the_api(client, api_client):
    RoleModelFactory(kind="person", name="王彩荣", honour="诚信之星")
    page = client.get("/campaigns/role-models/").content.decode()
    api = api_client.get("/api/v1/public/role-models/").json()
    assert "王*荣" in page and "王彩荣" not in page
    assert api["results"][0]["name"] == "王*荣"


def test_the_public_campaign_list_query_count_does_not_grow(api_client, django_assert_max_num_queries):
    CampaignFactory.create_batch(25, published=True)
    with django_assert_max_num_queries(3):
        response = api_client.get("/api/v1/public/campaigns/", {"page_size": 50})
    assert response.json()["count"] == 25


@pytest.mark.parametrize("url", ["/api/v1/public/role-models/", "/api/v1/public/star-merchants/"])
def test_public_gallery_query_counts_do_not_grow(api_client, django_assert_max_num_queries, url):
    RoleModelFactory.create_batch(15)
    StarMerchantFactory.create_batch(15)
    with django_assert_max_num_queries(2):
        assert api_client.get(url).json()["count"] == 15


def test_staff_publish_and_unpublish_through_the_api(reviewer, api_for, client):
    campaign = CampaignFactory()
    api = api_for(reviewer)
    assert api.post(f"/api/v1/campaigns/campaigns/{campaign.pk}/publish/").json()["status"] == "published"
    assert client.get(f"/campaigns/{campaign.pk}/").status_code == 200
    assert api.post(f"/api/v1/campaigns/campaigns/{campaign.pk}/unpublish/").json()["status"] == "unpublished"
    assert client.get(f"/campaigns/{campaign.pk}/").status_code == 404
    response = api.post(f"/api/v1/campaigns/campaigns/{campaign.pk}/unpublish/")
    assert response.status_code == 400 and response.json()["errors"][0]["code"] == "transition_not_allowed"


def test_a_clerk_creates_a_campaign_for_their_department_and_cannot_publish_anothers(clerk, clerk_b, api_for):
    response = api_for(clerk).post(
        "/api/v1/campaigns/campaigns/",
        {
            "title": "3·15 诚信进企业",
            "key_date": "3·15 国际消费者权益日",
            "start_date": "2026-03-10",
            "end_date": "2026-03-20",
            "venues": ["进企业", "schools"],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["organiser"] == clerk.department_id and body["venues"] == ["enterprises", "schools"]
    assert api_for(clerk_b).post(f"/api/v1/campaigns/campaigns/{body['id']}/publish/").status_code == 404


def test_a_campaign_cannot_end_before_it_starts(clerk, api_for):
    response = api_for(clerk).post(
        "/api/v1/campaigns/campaigns/",
        {"title": "x", "start_date": "2026-03-20", "end_date": "2026-03-10"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "end_before_start"


def test_the_complaint_form_files_without_an_account_and_shows_the_number(client):
    response = client.post(
        "/campaigns/complaints/new/",
        {"kind": "business", "accused_name": "某商户", "facts": "缺斤短两。", "contact_phone": "13800000000"},
    )
    assert response.status_code == 200
    complaint = response.context["complaint"]
    assert complaint.tracking_number in response.content.decode()


def test_the_ledger_exports_to_xlsx_in_the_seed_layout(reviewer, client, department_a):
    TaskDepartment.objects.create(task=LedgerTask.objects.get(number=1), department=department_a, role="lead")
    client.force_login(reviewer)
    response = client.get("/staff/campaigns/tasks/ledger.xlsx")
    sheet = load_workbook(BytesIO(response.content)).active
    assert sheet["A1"].value == "政务诚信体系建设工作台账"
    assert [cell.value for cell in sheet[2]][:4] == ["措施任务", "序号", "工作任务", "责任部门"]
    assert sheet["B3"].value == 1 and sheet["D3"].value == "区委组织部负责" and sheet["E3"].value == "长期坚持"
    assert sheet.max_row == 2 + 25


def test_the_monthly_summary_exports_to_xlsx(reviewer, client, linked):
    ComplaintFactory()
    client.force_login(reviewer)
    response = client.get("/staff/campaigns/summary/", {"month": "2026-11", "format": "xlsx"})
    workbook = load_workbook(BytesIO(response.content))
    figures = {row[0]: row[1] for row in workbook["月度汇总"].iter_rows(min_row=2, values_only=True)}
    assert figures["已报"] == 0 and figures["未报"] == figures["应报专项治理进展（单位·项）"] > 0
    assert workbook["未报送单位"].max_row == 1 + figures["未报"]


def test_a_clerk_of_b_gets_404_on_a_task_page_of_a(clerk, clerk_b, client):
    task = LedgerTask.objects.get(number=1)
    TaskDepartment.objects.create(task=task, department=clerk.department, role="lead")
    client.force_login(clerk_b)
    assert client.get(f"/staff/campaigns/tasks/{task.pk}/").status_code == 404
    assert client.post(f"/staff/campaigns/tasks/{task.pk}/", {"text": "x", "status": "in_progress"}).status_code == 404
    client.force_login(clerk)
    response = client.post(f"/staff/campaigns/tasks/{task.pk}/", {"text": "已起草办法。", "status": "in_progress"})
    assert response.status_code == 302
    assert task.reports.count() == 1


@pytest.mark.parametrize(
    "url",
    [
        "/staff/campaigns/",
        "/staff/campaigns/actions/",
        "/staff/campaigns/tasks/",
        "/staff/campaigns/complaints/",
        "/staff/campaigns/summary/",
        "/staff/campaigns/credit-talks/",
        "/staff/campaigns/new/",
    ],
)
def test_staff_pages_render_for_the_reviewer(reviewer, client, linked, url):
    CampaignFactory()
    ComplaintFactory()
    client.force_login(reviewer)
    assert client.get(url).status_code == 200


def test_the_summary_is_for_the_office_only(clerk, client):
    client.force_login(clerk)
    assert client.get("/staff/campaigns/summary/").status_code == 404


def test_the_staff_home_block_counts_what_waits_for_the_clerk(clerk, reviewer, linked):
    import datetime as dt

    from campaigns import selectors

    complaint = services.assign_complaint(by=reviewer, complaint=ComplaintFactory(), department=clerk.department)
    block = selectors.staff_home_blocks(user=clerk, today=dt.date(2026, 11, 25))[0]
    counts = {item["label"]: item["count"] for item in block["items"]}
    assert counts["待办理投诉"] == 1 and counts["本月未报专项治理进展"] == 6
    assert complaint.department == clerk.department


def test_a_news_post_entered_in_the_admin_is_stored_sanitised(administrator, client):
    campaign = CampaignFactory()
    client.force_login(administrator)
    url = f"/admin/campaigns/campaign/{campaign.pk}/change/"
    assert client.get(url).status_code == 200
    data = {
        "title": campaign.title,
        "theme": campaign.theme,
        "key_date": campaign.key_date,
        "start_date": "2026-09-01",
        "end_date": "2026-09-30",
        "organiser": campaign.organiser_id,
        "venues": ["schools"],
        "channels": "",
        "summary": "",
        "posts-TOTAL_FORMS": "1",
        "posts-INITIAL_FORMS": "0",
        "posts-0-title": "报道",
        "posts-0-posted_on": "2026-09-02",
        "posts-0-body": "<p>内容</p><script>alert(1)</script>",
        "materials-TOTAL_FORMS": "0",
        "materials-INITIAL_FORMS": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert campaign.posts.get().body == "<p>内容</p>"


def test_a_clerk_creates_a_draft_campaign_on_the_staff_page(clerk, client):
    client.force_login(clerk)
    assert client.get("/staff/campaigns/new/").status_code == 200
    response = client.post(
        "/staff/campaigns/new/",
        {
            "title": "6·14 信用记录关爱日进社区",
            "key_date": "credit_record_day",
            "start_date": "2026-06-10",
            "end_date": "2026-06-20",
            "venues": ["communities", "families"],
        },
    )
    assert response.status_code == 302
    campaign = clerk.department.organised_campaigns.get()
    assert campaign.status == "draft" and campaign.venues == ["communities", "families"]


def test_the_office_routes_and_the_department_answers_on_the_staff_pages(reviewer, clerk, client):
    complaint = ComplaintFactory()
    client.force_login(reviewer)
    url = f"/staff/campaigns/complaints/{complaint.pk}/"
    assert "13800001111" in client.get(url).content.decode()  # staff see the contact
    assert client.post(url, {"assign": "1", "department": clerk.department_id}).status_code == 302
    client.force_login(clerk)
    assert client.post(url, {"answer_submit": "1", "answer": "已办结。"}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == "answered" and complaint.answered_by == clerk


def test_complaints_answered_in_time_are_counted_in_the_summary(reviewer, clerk):
    from django.utils import timezone

    from campaigns import selectors
    from campaigns.models import Complaint

    on_time = services.assign_complaint(by=reviewer, complaint=ComplaintFactory(), department=clerk.department)
    answered = services.answer_complaint(by=clerk, complaint=on_time, answer="已办结。")
    late = services.assign_complaint(by=reviewer, complaint=ComplaintFactory(), department=clerk.department)
    services.answer_complaint(by=clerk, complaint=late, answer="已办结。")
    Complaint.objects.filter(pk=late.pk).update(due_date=datetime.date(2000, 1, 1))
    summary = selectors.monthly_summary(period=timezone.localdate(answered.answered_at))
    assert summary.complaints_answered == 2 and summary.complaints_answered_in_time == 1


def test_the_yearly_review_replaces_the_public_rating_and_keeps_history(reviewer, clerk, api_client):
    from django.core.exceptions import ValidationError

    from campaigns.models import StarMerchant
    from credit_portal.errors import PermissionDenied

    merchant = StarMerchantFactory(name="杨柳青诚信水产", stars=3, review_year=2025)
    services.review_star_merchant(by=reviewer, merchant=merchant, year=2026, stars=5)
    rows = api_client.get("/api/v1/public/star-merchants/", {"q": "杨柳青诚信水产"}).json()["results"]
    assert [(row["review_year"], row["stars"]) for row in rows] == [(2026, 5)]
    assert StarMerchant.objects.filter(name="杨柳青诚信水产").count() == 2
    with pytest.raises(ValidationError):
        services.review_star_merchant(by=reviewer, merchant=merchant, year=2027, stars=6)
    with pytest.raises(PermissionDenied):
        services.review_star_merchant(by=clerk, merchant=merchant, year=2027, stars=4)
