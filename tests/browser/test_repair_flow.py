"""Credit repair in a real browser: the public applies with a PDF, a reviewer accepts and approves, the penalty leaves
the public search (issue 6, DOMAIN §8)."""

from __future__ import annotations

import pytest

from repair.models import Application
from tests.browser.test_home import accessibility_problems
from tests.registry.factories import UserFactory
from tests.repair.factories import PDF, repairable_penalty

pytestmark = pytest.mark.django_db(transaction=True)


def test_public_repair_with_pdf_is_accepted_and_approved_and_the_penalty_leaves_the_search(page, screenshot, tmp_path):
    penalty = repairable_penalty()
    UserFactory(username="reviewer_flow", role="reviewer", password="Demo-2026-pass")
    page.goto(f"/publicity/penalties/?q={penalty.subject.uscc}")
    assert penalty.document_number in page.content()

    page.goto("/repair/apply/")
    page.get_by_label("涉及信息类别").select_option("penalty")
    page.get_by_label("决定文书号").fill(penalty.document_number)
    page.get_by_label("主体名称").fill(penalty.subject_name)
    page.get_by_label("统一社会信用代码").fill(penalty.subject.uscc)
    page.get_by_label("申请说明").fill("罚款已缴清，已完成整改，申请提前停止公示。")
    page.get_by_label("联系人").fill("李经理")
    page.get_by_label("联系电话").fill("13800138000")
    commitment = tmp_path / "信用承诺书.pdf"
    commitment.write_bytes(PDF)
    page.get_by_label("申请材料").set_input_files(str(commitment))
    assert accessibility_problems(page) == []
    screenshot(page, "repair-apply")
    page.get_by_role("button", name="提交申请").click()
    number = page.locator("#tracking-number").inner_text()
    assert number.startswith("R")
    screenshot(page, "repair-filed")

    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("reviewer_flow")
    page.get_by_label("密码").fill("Demo-2026-pass")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/staff/")
    page.goto("/staff/repair/")
    page.get_by_role("link", name=number).click()
    assert "信用承诺书.pdf" in page.content()
    page.get_by_role("button", name="受理", exact=True).click()
    assert "已受理，审核中" in page.locator("#application-status").inner_text()
    page.locator('form[data-action="approve"] textarea').fill("已履行法定义务，准予修复。")
    page.get_by_role("button", name="准予修复", exact=True).click()
    assert "准予修复" in page.locator("#application-status").inner_text()
    screenshot(page, "repair-approved")

    assert Application.objects.get(tracking_number=number).status == "approved"
    page.goto(f"/publicity/penalties/?q={penalty.subject.uscc}")
    assert penalty.document_number not in page.content()
