"""The staff start page shows each role its own blocks; clerks only their own department's (DOMAIN §1)."""

import pytest

from django.contrib.contenttypes.models import ContentType

from credit_portal.exchange.models import OutboxEvent
from credit_portal.notifications import notify_users

pytestmark = pytest.mark.django_db


def _rejected_event(department, key):
    return OutboxEvent.objects.create(
        kind=OutboxEvent.Kind.PENALTY,
        action=OutboxEvent.Action.UPSERT,
        content_type=ContentType.objects.get_for_model(OutboxEvent),
        object_id=1,
        department=department,
        payload={},
        idempotency_key=key,
        status=OutboxEvent.Status.REJECTED,
    )


def _items(response):
    return {str(item["label"]): item for block in response.context["blocks"] for item in block["items"]}


def test_staff_home_requires_login(client):
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_clerk_sees_rejected_pushes_of_their_own_department_only(client, clerk, department_b):
    _rejected_event(clerk.department, "a-1")
    _rejected_event(department_b, "b-1")
    _rejected_event(department_b, "b-2")
    client.force_login(clerk)
    response = client.get("/staff/")
    assert response.status_code == 200
    assert _items(response)["被上游退回、待更正的记录"]["count"] == 1


def test_clerk_does_not_see_administrator_blocks(client, clerk):
    client.force_login(clerk)
    titles = [str(block["title"]) for block in client.get("/staff/").context["blocks"]]
    assert "工作日历" not in titles
    assert "运维" not in titles


def test_reviewer_sees_neither_push_backlog_nor_calendar_blocks(client, reviewer):
    client.force_login(reviewer)
    titles = [str(block["title"]) for block in client.get("/staff/").context["blocks"]]
    assert "数据报送" not in titles
    assert "工作日历" not in titles


def test_administrator_is_warned_about_years_without_an_official_schedule(client, administrator):
    client.force_login(administrator)
    response = client.get("/staff/")
    labels = list(_items(response))
    assert any("尚无国务院节假日安排" in label for label in labels)
    titles = [str(block["title"]) for block in response.context["blocks"]]
    assert "运维" in titles and "数据报送" in titles


@pytest.mark.urls("tests.core.urls_with_sections")
def test_staff_menu_lists_only_the_pages_of_the_role(client, clerk, administrator):
    client.force_login(clerk)
    html = client.get("/staff/").content.decode()
    assert 'aria-label="工作台菜单"' in html
    assert ">运行监控</a>" not in html and ">修复与异议审核</a>" not in html
    client.force_login(administrator)
    html = client.get("/staff/").content.decode()
    assert ">运行监控</a>" in html
    assert ">修复与异议审核</a>" in html


def test_public_pages_show_no_staff_menu_to_visitors(client):
    assert 'aria-label="工作台菜单"' not in client.get("/").content.decode()


def test_staff_home_lists_unread_notifications_of_the_user(client, clerk, clerk_b):
    notify_users([clerk.pk], kind="test", message="您有一条处罚记录即将逾期")
    notify_users([clerk_b.pk], kind="test", message="别人的通知")
    client.force_login(clerk)
    html = client.get("/staff/").content.decode()
    assert "您有一条处罚记录即将逾期" in html
    assert "别人的通知" not in html
