"""The ops pages: figures for administrators and the credit office, resend for administrators."""

import pytest

from django.urls import reverse
from django.utils import timezone

from credit_portal.exchange import services
from credit_portal.exchange.models import OutboxEvent

from .factories import OutboxEventFactory

pytestmark = pytest.mark.django_db

Status = OutboxEvent.Status


def test_ops_page_shows_counts_last_push_dead_events_and_report(client, administrator):
    delivered_at = timezone.now()
    OutboxEventFactory.create_batch(2)
    OutboxEventFactory(status=Status.DELIVERED, delivered_at=delivered_at)
    dead = OutboxEventFactory(status=Status.DEAD, attempts=20, last_error="上游平台返回 HTTP 503。")
    services.reconcile_upstream(now=timezone.now())
    client.force_login(administrator)
    page = client.get(reverse("ops"))
    html = page.content.decode()
    assert page.status_code == 200
    assert page.context["counts"] == {"pending": 2, "delivered": 1, "rejected": 0, "dead": 1}
    assert '<dd data-status="pending">2</dd>' in html
    assert timezone.localtime(delivered_at).strftime("%Y-%m-%d %H:%M:%S") in html
    assert f'id="event-{dead.pk}"' in html
    assert "上游平台返回 HTTP 503。" in html
    assert reverse("ops-resend", args=[dead.pk]) in html
    assert "发现差异" in html  # the dead event is a gap in the report


def test_reviewers_see_the_ops_page_without_resend_buttons(client, reviewer):
    dead = OutboxEventFactory(status=Status.DEAD)
    client.force_login(reviewer)
    page = client.get(reverse("ops"))
    assert page.status_code == 200
    assert f'id="event-{dead.pk}"' in page.content.decode()
    assert reverse("ops-resend", args=[dead.pk]) not in page.content.decode()


def test_clerks_and_visitors_may_not_open_the_ops_page(client, clerk):
    assert client.get(reverse("ops")).status_code == 302  # to the login page
    client.force_login(clerk)
    assert client.get(reverse("ops")).status_code == 403


def test_resend_button_requeues_a_dead_event(client, administrator):
    dead = OutboxEventFactory(status=Status.DEAD, attempts=20)
    client.force_login(administrator)
    response = client.post(reverse("ops-resend", args=[dead.pk]), follow=True)
    dead.refresh_from_db()
    assert dead.status == Status.PENDING
    assert "已重新排队" in response.content.decode()


def test_resend_by_a_reviewer_is_refused_with_a_message(client, reviewer):
    dead = OutboxEventFactory(status=Status.DEAD, attempts=20)
    client.force_login(reviewer)
    response = client.post(reverse("ops-resend", args=[dead.pk]), follow=True)
    dead.refresh_from_db()
    assert dead.status == Status.DEAD
    assert "没有执行此操作的权限" in response.content.decode()


def test_ops_page_query_count_does_not_grow_with_events(client, administrator, django_assert_max_num_queries):
    client.force_login(administrator)
    OutboxEventFactory.create_batch(3, status=Status.DEAD)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("ops"))
    OutboxEventFactory.create_batch(30, status=Status.DEAD)
    OutboxEventFactory.create_batch(30, status=Status.REJECTED)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("ops"))


def test_rejected_page_query_count_does_not_grow_with_events(client, clerk, django_assert_max_num_queries):
    client.force_login(clerk)
    OutboxEventFactory.create_batch(2, status=Status.REJECTED, department=clerk.department)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("ops-rejected"))
    OutboxEventFactory.create_batch(30, status=Status.REJECTED, department=clerk.department)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("ops-rejected"))
    assert len(page.context["events"]) == 32
