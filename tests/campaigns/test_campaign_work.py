"""Campaign news posts, activities and materials; credit talks (约谈)."""

import datetime

import pytest

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from campaigns import services
from campaigns.choices import TalkOutcome
from campaigns.models import CampaignMaterial
from credit_portal.errors import PermissionDenied
from tests.campaigns.factories import CampaignFactory
from tests.registry.factories import SubjectFactory

pytestmark = pytest.mark.django_db


def test_a_news_post_added_through_the_api_is_stored_sanitised(clerk, api_for):
    campaign = CampaignFactory(organiser=clerk.department)
    response = api_for(clerk).post(
        f"/api/v1/campaigns/campaigns/{campaign.pk}/posts/",
        {"title": "报道", "body": "<p>现场<img src=x onerror=alert(1)></p>", "posted_on": "2026-09-02"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["body"] == "<p>现场</p>"


def test_a_participating_department_reports_an_activity_but_cannot_publish(clerk, clerk_b, api_for):
    campaign = CampaignFactory(organiser=clerk.department)
    campaign.participating_departments.add(clerk_b.department)
    client = api_for(clerk_b)
    response = client.post(
        f"/api/v1/campaigns/campaigns/{campaign.pk}/activities/",
        {"held_on": "2026-09-05", "venue": "进学校", "title": "诚信主题班会", "participants": 120},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["department"] == clerk_b.department_id and response.json()["venue"] == "schools"
    assert client.post(f"/api/v1/campaigns/campaigns/{campaign.pk}/publish/").status_code == 403


def test_an_unrelated_department_cannot_report_on_a_campaign(clerk, clerk_b, api_for):
    campaign = CampaignFactory(organiser=clerk.department)
    response = api_for(clerk_b).post(
        f"/api/v1/campaigns/campaigns/{campaign.pk}/activities/",
        {"held_on": "2026-09-05", "title": "x"},
        format="json",
    )
    assert response.status_code == 404


def test_materials_are_served_only_for_published_campaigns(client):
    campaign = CampaignFactory()
    item = CampaignMaterial.objects.create(
        campaign=campaign, title="倡议书", kind="pdf", file=SimpleUploadedFile("letter.pdf", b"%PDF-1.4 letter")
    )
    assert client.get(f"/campaigns/materials/{item.pk}/").status_code == 404
    campaign.status = "published"
    campaign.save()
    response = client.get(f"/campaigns/materials/{item.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 letter"


def test_a_material_must_be_pdf_or_image():
    item = CampaignMaterial(
        campaign=CampaignFactory(), title="x", kind="pdf", file=SimpleUploadedFile("run.exe", b"MZ")
    )
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert "file" in error.value.message_dict


def test_a_credit_talk_is_recorded_and_followed_up_by_its_department(clerk, department_b, api_for):
    subject = SubjectFactory()
    response = api_for(clerk).post(
        "/api/v1/campaigns/credit-talks/",
        {
            "subject": subject.pk,
            "held_on": "2026-11-02",
            "attendee": "王建国（法定代表人）",
            "reason": "多次被投诉预收费后不履约。",
            "rectification": "30 日内退还预收费用并公开承诺。",
            "rectification_deadline": "2026-12-02",
            "departments_present": [department_b.pk],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    talk_id = response.json()["id"]
    assert response.json()["department"] == clerk.department_id and response.json()["outcome"] == "pending"
    response = api_for(clerk).post(
        f"/api/v1/campaigns/credit-talks/{talk_id}/follow-up/",
        {"outcome": "已按期整改", "follow_up": "费用已退还。", "on": "2026-12-01"},
        format="json",
    )
    assert response.status_code == 200 and response.json()["outcome"] == TalkOutcome.RECTIFIED


def test_another_department_cannot_see_or_follow_up_a_credit_talk(clerk, clerk_b, api_for):
    talk = services.record_credit_talk(
        by=clerk,
        subject=SubjectFactory(),
        held_on=datetime.date(2026, 11, 2),
        attendee="法定代表人",
        reason="x",
        rectification="y",
        rectification_deadline=datetime.date(2026, 12, 2),
    )
    client = api_for(clerk_b)
    assert client.get(f"/api/v1/campaigns/credit-talks/{talk.pk}/").status_code == 404
    assert client.get("/api/v1/campaigns/credit-talks/").json()["count"] == 0
    with pytest.raises(PermissionDenied):
        services.record_credit_talk(
            by=clerk_b,
            department=clerk.department,
            subject=SubjectFactory(),
            held_on=datetime.date(2026, 11, 2),
            attendee="x",
            reason="x",
            rectification="y",
            rectification_deadline=datetime.date(2026, 12, 2),
        )


def test_the_rectification_deadline_cannot_precede_the_talk(clerk):
    with pytest.raises(ValidationError) as error:
        services.record_credit_talk(
            by=clerk,
            subject=SubjectFactory(),
            held_on=datetime.date(2026, 11, 2),
            attendee="x",
            reason="x",
            rectification="y",
            rectification_deadline=datetime.date(2026, 11, 1),
        )
    assert error.value.error_dict["__all__"][0].code == "deadline_before_talk"


def test_credit_talk_list_query_count_does_not_grow(clerk, api_for, department_b, django_assert_max_num_queries):
    for _ in range(15):
        talk = services.record_credit_talk(
            by=clerk,
            subject=SubjectFactory(),
            held_on=datetime.date(2026, 11, 2),
            attendee="x",
            reason="x",
            rectification="y",
            rectification_deadline=datetime.date(2026, 12, 2),
        )
        talk.departments_present.add(department_b)
    client = api_for(clerk)
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/campaigns/credit-talks/").json()["count"] == 15


def test_staff_campaign_list_query_count_does_not_grow(reviewer, api_for, django_assert_max_num_queries):
    CampaignFactory.create_batch(20)
    client = api_for(reviewer)
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/campaigns/campaigns/").json()["count"] == 20


def test_the_public_campaign_detail_carries_sanitised_news_and_activities(clerk, api_client):
    campaign = CampaignFactory(organiser=clerk.department, published=True)
    services.add_campaign_post(
        by=clerk,
        campaign=campaign,
        title="报道",
        body="<p>好<script>x</script></p>",
        posted_on=datetime.date(2026, 9, 2),
    )
    services.report_campaign_activity(by=clerk, campaign=campaign, held_on=datetime.date(2026, 9, 3), title="宣讲")
    body = api_client.get(f"/api/v1/public/campaigns/{campaign.pk}/").json()
    assert body["posts"][0]["body"] == "<p>好</p>" and body["activities"][0]["title"] == "宣讲"
    assert "created_by" not in body
    assert api_client.get(f"/api/v1/public/campaigns/{CampaignFactory().pk}/").status_code == 404
