"""A clerk files a penalty in the browser, corrects a validation error, publishes it; the public search shows it."""

import pytest
from playwright.sync_api import expect

from django.utils import timezone

from credit_portal import access
from tests.disclosure.factories import AUTHORITY_USCC
from tests.registry.factories import DepartmentFactory, UserFactory, make_uscc

pytestmark = pytest.mark.django_db(transaction=True)


def test_clerk_files_and_publishes_a_penalty_that_then_appears_in_the_public_search(page, screenshot):
    access.ensure_role_groups()  # a flushed database has lost the groups' permissions
    department = DepartmentFactory(name="区市场监管局", short_name="市场监管局")
    UserFactory(username="clerk_scjg", role="clerk", department=department, password="Demo-2026-pass")

    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("clerk_scjg")
    page.get_by_label("密码").fill("Demo-2026-pass")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/staff/")

    page.goto("/staff/disclosure/penalties/")
    page.get_by_role("link", name="填报行政处罚").click()
    page.get_by_label("行政相对人名称").fill("天津浏览器填报科技有限公司")
    page.get_by_label("行政相对人类别").select_option("legal_entity")
    page.get_by_label("统一社会信用代码", exact=True).fill(make_uscc("9", "1", seed=9090))
    page.get_by_label("法定代表人", exact=True).fill("王建国")
    page.get_by_label("行政处罚决定书文号").fill("津西市监罚〔2026〕88号")
    page.get_by_label("违法行为类型").fill("销售过期食品")
    page.get_by_label("违法事实").fill("当事人销售超过保质期的食品。")
    page.get_by_label("处罚依据").fill("《中华人民共和国食品安全法》第一百二十四条")
    page.get_by_label("罚款", exact=True).check()
    page.get_by_label("处罚内容").fill("罚款人民币伍仟元。")
    page.get_by_label("处罚决定日期").fill(timezone.localdate().isoformat())
    page.get_by_label("处罚机关", exact=True).fill("天津市西青区市场监督管理局")
    page.get_by_label("处罚机关统一社会信用代码").fill(AUTHORITY_USCC)
    page.get_by_role("button", name="保存").click()

    # The fine amount is missing: the validation module's message appears beside the field.
    expect(page.get_by_text("处罚类别含“罚款”时必须填写罚款金额")).to_be_visible()
    screenshot(page, "disclosure-filing-error")
    page.get_by_label("罚款金额（万元）").fill("0.5")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url("**/staff/disclosure/penalties/*/")
    expect(page.get_by_role("heading", name="津西市监罚〔2026〕88号")).to_be_visible()

    page.get_by_role("button", name="公示").click()
    expect(page.get_by_text("记录已公示")).to_be_visible()
    expect(page.get_by_text("按时公示").first).to_be_visible()
    screenshot(page, "disclosure-record-published")

    page.goto("/publicity/penalties/?q=浏览器填报")
    expect(page.get_by_role("link", name="天津浏览器填报科技有限公司")).to_be_visible()
