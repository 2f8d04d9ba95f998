"""The reviewer's compliance dashboard and the clerk's record list in a real browser."""

import datetime

import pytest
from playwright.sync_api import expect

from credit_portal import access
from tests.browser.helpers import PASSWORD, log_in
from tests.disclosure.factories import PenaltyFactory
from tests.registry.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_reviewer_sees_every_departments_rate_and_the_overdue_records(page, screenshot):
    access.ensure_role_groups()
    market = DepartmentFactory(name="区市场监管局")
    tax = DepartmentFactory(name="区税务局")
    PenaltyFactory.create_batch(3, department=market, published=True)
    PenaltyFactory(department=market, timeliness="overdue", document_number="津西市监罚〔2024〕9号")
    PenaltyFactory(
        department=tax,
        published=True,
        timeliness="late",
        published_at=datetime.datetime(2024, 4, 30, tzinfo=datetime.UTC),
    )
    UserFactory(username="reviewer_fgw", role="reviewer", password=PASSWORD)

    log_in(page, "reviewer_fgw")
    page.get_by_role("navigation", name="工作台菜单").get_by_role("link", name="报送合规").click()
    expect(page.get_by_role("heading", name="双公示报送合规情况")).to_be_visible()
    expect(page.get_by_role("row", name="区市场监管局 4 3 0 1 0 75.0%")).to_be_visible()
    expect(page.get_by_role("row", name="区税务局 1 0 1 0 0 0.0%")).to_be_visible()
    expect(page.get_by_role("link", name="津西市监罚〔2024〕9号")).to_be_visible()
    screenshot(page, "disclosure-compliance-reviewer")

    page.goto("/staff/disclosure/penalties/?timeliness=overdue")
    assert page.locator("table.data tbody tr").count() == 1
    screenshot(page, "disclosure-penalty-list-overdue")
