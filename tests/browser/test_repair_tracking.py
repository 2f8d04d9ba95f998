"""Objection and tracking in a real browser: the record shows "异议处理中", the applicant follows the steps."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_home import accessibility_problems
from tests.repair.factories import repairable_penalty

pytestmark = pytest.mark.django_db(transaction=True)


def test_public_objection_marks_the_record_and_is_tracked_by_number_and_contact(page, screenshot):
    penalty = repairable_penalty()
    page.goto("/repair/objection/")
    page.get_by_label("涉及信息类别").select_option("penalty")
    page.get_by_label("决定文书号").fill(penalty.document_number)
    page.get_by_label("主体名称").fill(penalty.subject_name)
    page.get_by_label("统一社会信用代码").fill(penalty.subject.uscc)
    page.get_by_label("异议事由").select_option("wrong")
    page.get_by_label("异议内容及理由").fill("罚款金额与决定书不一致。")
    page.get_by_label("联系人").fill("李经理")
    page.get_by_label("电子邮箱").fill("li@example.com")
    page.get_by_role("button", name="提交申请").click()
    number = page.locator("#tracking-number").inner_text()
    assert number.startswith("Y")

    page.goto(f"/publicity/penalties/{penalty.pk}/")
    assert "异议处理中" in page.content()

    page.goto("/repair/track/")
    page.get_by_label("查询编号").fill(number)
    page.get_by_label("联系电话或电子邮箱").fill("someone@example.com")
    page.get_by_role("button", name="查询").click()
    expect(page.locator("#not-found")).to_be_visible()

    page.get_by_label("查询编号").fill(number)
    page.get_by_label("联系电话或电子邮箱").fill("li@example.com")
    page.get_by_role("button", name="查询").click()
    assert "已提交，待受理" in page.locator("#application-status").inner_text()
    assert page.locator("#steps tbody tr").count() == 1
    assert accessibility_problems(page) == []
    screenshot(page, "repair-status")
