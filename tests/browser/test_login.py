"""Staff login in a real browser: a clerk signs in from the home page and reaches the staff start page."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_home import accessibility_problems
from tests.registry.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_clerk_logs_in_from_the_home_page_and_reaches_the_staff_home(page, screenshot):
    department = DepartmentFactory(name="区市场监管局", short_name="市场监管局")
    UserFactory(username="clerk_scjg", role="clerk", department=department, password="Demo-2026-pass")
    page.goto("/")
    page.get_by_role("link", name="工作人员登录").first.click()
    page.get_by_label("用户名").fill("clerk_scjg")
    page.get_by_label("密码").fill("Demo-2026-pass")
    assert accessibility_problems(page) == []
    screenshot(page, "login-desktop")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/staff/")
    expect(page.get_by_role("heading", name="工作台", level=1)).to_be_visible()
    expect(page.get_by_role("navigation", name="工作台菜单")).to_be_visible()
    assert "区市场监管局" in page.content()
    assert accessibility_problems(page) == []
    screenshot(page, "staff-home-clerk")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, "staff-home-clerk-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url(re.compile(r"^https?://[^/]+/$"))
    expect(page.get_by_role("link", name="工作人员登录").first).to_be_visible()


def test_wrong_password_shows_an_error_next_to_the_form(page):
    UserFactory(username="clerk_x", role="clerk", department=DepartmentFactory(), password="Demo-2026-pass")
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("clerk_x")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert "/accounts/login/" in page.url


def test_language_switch_to_english_in_the_browser(page):
    page.goto("/")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    expect(
        page.get_by_label("Search by name of company or individual business, or unified social credit code")
    ).to_be_visible()
