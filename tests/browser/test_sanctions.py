"""Red/black lists and credit checks in a real browser: public search, a clerk's check with feedback."""

from importlib import import_module

import pytest
from playwright.sync_api import expect

from django.apps import apps

from credit_portal import access
from tests.registry.factories import DepartmentFactory, NaturalPersonFactory, SubjectFactory, UserFactory
from tests.sanctions.factories import ListEntryFactory, list_type

pytestmark = pytest.mark.django_db(transaction=True)


def _seed_catalogue() -> None:
    """A flushed database has lost the seeded list types and measures: load them again."""
    import_module("sanctions.migrations.0002_seed_list_types_and_measures").seed(apps, None)


def test_public_list_search_masks_persons_and_opens_the_detail(page, screenshot):
    _seed_catalogue()
    ListEntryFactory(subject=NaturalPersonFactory(name="王小明"), list_type=list_type("sxbzxr"))
    company = SubjectFactory(name="天津浏览器守信贸易有限公司")
    ListEntryFactory(subject=company, list_type=list_type("tax_a"), reason="年度纳税信用评价为A级。")

    page.goto("/lists/")
    expect(page.get_by_role("link", name="王*明")).to_be_visible()
    assert page.get_by_text("王小明").count() == 0
    page.get_by_label("红黑名单").select_option("red")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("link", name="天津浏览器守信贸易有限公司")).to_be_visible()
    assert page.get_by_role("link", name="王*明").count() == 0
    screenshot(page, "sanctions-public-list")
    page.get_by_role("link", name="天津浏览器守信贸易有限公司").click()
    expect(page.get_by_text("纳税信用管理办法").first).to_be_visible()
    screenshot(page, "sanctions-public-entry")


def test_clerk_checks_a_subject_and_records_that_a_measure_was_not_applied(page, screenshot):
    _seed_catalogue()
    access.ensure_role_groups()
    department = DepartmentFactory(name="区财政局", short_name="财政局")
    UserFactory(username="clerk_cz", role="clerk", department=department, password="Demo-2026-pass")
    entry = ListEntryFactory(subject=SubjectFactory(name="天津失信工程有限公司"), list_type=list_type("samr_serious"))

    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("clerk_cz")
    page.get_by_label("密码").fill("Demo-2026-pass")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/staff/")

    page.goto("/staff/sanctions/checks/")
    page.get_by_label("业务事项").first.select_option("government_procurement")
    page.get_by_label("统一社会信用代码").fill(f"{entry.subject.uscc}\nNOT-A-CODE")
    page.get_by_role("button", name="核查", exact=True).click()
    page.wait_for_url("**/staff/sanctions/checks/*/")
    expect(page.get_by_text("市场监督管理严重违法失信名单").first).to_be_visible()
    expect(page.get_by_text("依法限制参加政府采购活动").first).to_be_visible()
    expect(page.get_by_text("代码有误").first).to_be_visible()
    screenshot(page, "sanctions-check-result")

    page.get_by_label("未实施").first.check()
    page.get_by_role("button", name="保存措施实施情况").click()
    expect(page.get_by_text("未实施的措施必须说明原因")).to_be_visible()
    page.get_by_label("未实施").first.check()
    page.get_by_label("未实施原因").first.fill("合同已于核查前签订")
    page.get_by_role("button", name="保存措施实施情况").click()
    expect(page.get_by_text("已记录 1 项措施的实施情况")).to_be_visible()
