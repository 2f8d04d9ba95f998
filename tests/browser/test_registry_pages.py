"""The registry pages in a real browser: the public code check, and a reviewer revealing an ID number."""

import pytest
from playwright.sync_api import expect

from credit_portal.models import AuditEvent
from registry import services
from tests.registry.factories import UserFactory, make_resident_id

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_code_check_page_explains_a_wrong_check_character(page, screenshot):
    page.goto("/code-check/")
    page.get_by_label("统一社会信用代码").fill("91350100m000100y44")
    page.get_by_role("button", name="校验").click()
    expect(page.get_by_text("第18位校验码应为“3”，实际为“4”。")).to_be_visible()
    assert page.locator("mark").inner_text() == "4"
    screenshot(page, "registry-code-check")
    page.get_by_label("统一社会信用代码").fill("91350100M000100Y43")
    page.get_by_role("button", name="校验").click()
    expect(page.get_by_text("该代码符合编码规则。")).to_be_visible()


def test_a_reviewer_reveals_an_id_number_with_a_reason(page, screenshot, department_a):
    clerk = UserFactory(username="clerk_browser", role="clerk", department=department_a)
    UserFactory(username="reviewer_browser", role="reviewer", password="Correct-Horse-42")
    number = make_resident_id(seed=42)
    person = services.resolve_subject(
        by=clerk, category="natural_person", name="张三明", id_type="01", id_number=number
    )
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("reviewer_browser")
    page.get_by_label("密码").fill("Correct-Horse-42")
    page.get_by_role("button", name="登录").click()
    page.goto(f"/staff/subjects/{person.pk}/")
    assert number not in page.content()
    page.get_by_label("查看事由").fill("异议核查")
    page.get_by_role("button", name="查看完整号码").click()
    expect(page.get_by_text(number)).to_be_visible()
    screenshot(page, "registry-subject-reveal")
    assert AuditEvent.objects.filter(action="id_number_revealed", object_id=str(person.pk)).count() == 1
