"""The public subject search, profile and credit report download in a real browser; the staff dashboards."""

from __future__ import annotations

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from django.core.cache import cache

from credit_portal.reports.models import CreditReport
from tests.reports.factories import subject_with_records

pytestmark = pytest.mark.django_db(transaction=True)

UNLABELLED = """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button')]
  .filter(e => e.tagName === 'BUTTON' ? !(e.innerText.trim() || e.getAttribute('aria-label'))
                                      : !(e.labels.length || e.getAttribute('aria-label')))
  .map(e => e.outerHTML)"""


def assert_all_controls_labelled(page):
    assert page.evaluate(UNLABELLED) == []


def test_visitor_searches_opens_profile_and_downloads_the_report(page, screenshot):
    cache.clear()
    subject = subject_with_records(name="天津浏览器报告测试有限公司", with_list_entry=False)

    page.goto("/credit-report/")
    page.get_by_label("名称或统一社会信用代码").fill(subject.uscc)
    page.get_by_role("button", name="查询").click()
    page.wait_for_url("**/credit-report/?*")
    rows = page.locator("table.data tbody tr")
    assert rows.count() == 1
    assert_all_controls_labelled(page)
    screenshot(page, "reports-credit-report-search")

    rows.first.get_by_role("link", name=subject.name).click()
    expect(page.get_by_role("heading", name=subject.name, level=1)).to_be_visible()
    expect(page.get_by_text("异议处理中")).to_be_visible()
    assert_all_controls_labelled(page)
    screenshot(page, "reports-subject-profile")

    with page.expect_download() as download_info:
        page.get_by_role("button", name="下载公共信用信息报告（PDF）").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    content = open(download.path(), "rb").read()
    text = "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(content)).pages)
    report = CreditReport.objects.get()
    assert subject.name in text and subject.uscc in text and report.number in text

    page.goto(report.get_absolute_url())
    expect(page.get_by_text("验证通过")).to_be_visible()
    assert_all_controls_labelled(page)
    screenshot(page, "reports-verify")


def test_phone_width_profile_has_no_horizontal_scroll(browser, live_server, screenshot):
    subject = subject_with_records(name="天津手机宽度测试有限公司", with_list_entry=False)
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto(f"/subjects/{subject.pk}/")
    expect(page.get_by_role("heading", name=subject.name, level=1)).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1
    screenshot(page, "reports-subject-profile-phone")
    context.close()


def test_reviewer_sees_dashboard_charts(page, screenshot, reviewer, department_a, department_b):
    import datetime

    from django.utils import timezone

    from disclosure.choices import Timeliness
    from tests.disclosure.factories import PenaltyFactory

    recent = timezone.localdate() - datetime.timedelta(days=15)
    for department, timeliness in (
        (department_a, Timeliness.ON_TIME),
        (department_a, Timeliness.LATE),
        (department_b, Timeliness.ON_TIME),
    ):
        PenaltyFactory(
            published=True,
            department=department,
            decision_date=recent,
            timeliness=timeliness,
            published_at=timezone.now(),
        )
    reviewer.set_password("Test-Passw0rd!")
    reviewer.save()
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill(reviewer.username)
    page.get_by_label("密码").fill("Test-Passw0rd!")
    page.get_by_role("button", name="登录").click()
    page.goto("/staff/dashboards/")
    expect(page.get_by_role("heading", name="统计图表", level=1)).to_be_visible()
    assert page.locator(".charts > section").count() == 9
    assert page.locator("svg.chart").count() >= 5  # charts without data in the period say so instead
    expect(page.get_by_role("link", name="下载“诚信建设投诉举报”数据（CSV）")).to_be_visible()
    screenshot(page, "reports-dashboards")
