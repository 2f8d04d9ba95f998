"""The ops page in a real browser: an administrator resends a dead event; a clerk reads a rejection."""

import pytest
from playwright.sync_api import expect

from credit_portal.exchange.models import OutboxEvent
from tests.browser.helpers import PASSWORD, log_in
from tests.browser.test_home import accessibility_problems
from tests.exchange.factories import OutboxEventFactory
from tests.registry.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_administrator_resends_a_dead_event_from_the_ops_page(page, screenshot):
    UserFactory(username="admin_ops", role="admin", is_staff=True, password=PASSWORD)
    OutboxEventFactory.create_batch(3)
    dead = OutboxEventFactory(status=OutboxEvent.Status.DEAD, attempts=20, last_error="上游平台返回 HTTP 503。")
    log_in(page, "admin_ops")
    page.goto("/staff/ops/")
    expect(page.get_by_role("heading", name="运行监控：数据报送")).to_be_visible()
    assert page.locator('dd[data-status="pending"]').inner_text() == "3"
    assert accessibility_problems(page) == []
    screenshot(page, "exchange-ops")
    page.locator(f"#event-{dead.pk}").get_by_role("button", name="重新发送").click()
    page.wait_for_load_state()
    assert "已重新排队" in page.content()
    dead.refresh_from_db()
    assert dead.status == OutboxEvent.Status.PENDING


def test_clerk_reads_the_upstream_message_of_a_rejected_record(page, screenshot):
    department = DepartmentFactory(name="区市场监管局")
    UserFactory(username="clerk_ops", role="clerk", department=department, password=PASSWORD)
    OutboxEventFactory(
        department=department,
        status=OutboxEvent.Status.REJECTED,
        last_error="缺少必填字段：行政处罚决定书文号（document_number）。",
    )
    log_in(page, "clerk_ops")
    page.goto("/staff/ops/rejected/")
    expect(page.get_by_role("heading", name="被上游退回的记录")).to_be_visible()
    assert page.locator(".upstream-message").inner_text() == "缺少必填字段：行政处罚决定书文号（document_number）。"
    assert accessibility_problems(page) == []
    screenshot(page, "exchange-rejected-clerk")
