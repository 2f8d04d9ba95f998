"""Notifications: each user sees and marks only their own."""

import pytest

from credit_portal.models import Notification
from credit_portal.notifications import notify_users

pytestmark = pytest.mark.django_db


def test_notifications_page_shows_only_the_users_own(client, clerk, clerk_b):
    notify_users([clerk.pk], kind="test", message="本部门有 3 条记录逾期")
    notify_users([clerk_b.pk], kind="test", message="税务局的通知")
    client.force_login(clerk)
    html = client.get("/staff/notifications/").content.decode()
    assert "本部门有 3 条记录逾期" in html
    assert "税务局的通知" not in html


def test_notifications_page_requires_login(client):
    assert client.get("/staff/notifications/").status_code == 302


def test_marking_all_read_touches_only_the_users_own(client, clerk, clerk_b):
    notify_users([clerk.pk, clerk_b.pk], kind="test", message="通知")
    client.force_login(clerk)
    response = client.post("/staff/notifications/read/")
    assert response.status_code == 302
    assert not Notification.objects.filter(user=clerk, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=clerk_b, read_at__isnull=True).count() == 1


def test_a_user_cannot_mark_someone_elses_notification_read(client, clerk, clerk_b):
    notify_users([clerk_b.pk], kind="test", message="通知")
    other = Notification.objects.get(user=clerk_b)
    client.force_login(clerk)
    client.post("/staff/notifications/read/", {"id": other.pk})
    other.refresh_from_db()
    assert other.read_at is None


def test_marking_one_read_leaves_the_others_unread(client, clerk):
    notify_users([clerk.pk], kind="test", message="一")
    notify_users([clerk.pk], kind="test", message="二")
    first, second = Notification.objects.filter(user=clerk).order_by("pk")
    client.force_login(clerk)
    client.post("/staff/notifications/read/", {"id": first.pk})
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None


def test_marking_read_needs_post(client, clerk):
    client.force_login(clerk)
    assert client.get("/staff/notifications/read/").status_code == 405


def test_unread_filter(client, clerk):
    notify_users([clerk.pk], kind="test", message="已读的通知")
    Notification.objects.filter(user=clerk).update(read_at="2026-01-01T00:00:00Z")
    notify_users([clerk.pk], kind="test", message="未读的通知")
    client.force_login(clerk)
    html = client.get("/staff/notifications/", {"unread": "1"}).content.decode()
    assert "未读的通知" in html and "已读的通知" not in html


def test_notifications_page_query_count_does_not_grow_with_rows(client, clerk, django_assert_max_num_queries):
    client.force_login(clerk)
    notify_users([clerk.pk], kind="test", message="通知")
    with django_assert_max_num_queries(12) as few:
        client.get("/staff/notifications/")
    for number in range(30):
        notify_users([clerk.pk], kind="test", message=f"通知 {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/staff/notifications/")
