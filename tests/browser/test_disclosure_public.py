"""The public 双公示 search in a real browser: search by name, filter, open a record (no script needed)."""

import pytest
from playwright.sync_api import expect

from tests.disclosure.test_public_api import make_penalty, natural_person_penalty
from tests.registry.factories import DepartmentFactory, make_resident_id

pytestmark = pytest.mark.django_db(transaction=True)


def test_visitor_searches_penalties_and_opens_a_record(page, screenshot):
    department = DepartmentFactory(name="区市场监管局")
    make_penalty(department, subject_name="天津浏览器测试食品有限公司", is_under_objection=True)
    make_penalty(department, subject_name="天津其他贸易有限公司")
    id_number = make_resident_id(seed=31)
    natural_person_penalty(department, id_number)

    page.goto("/publicity/penalties/")
    expect(page.get_by_role("heading", name="双公示查询")).to_be_visible()
    expect(page.get_by_text("张*明")).to_be_visible()
    assert id_number not in page.content() and "张三明" not in page.content()

    page.get_by_label("名称或统一社会信用代码").fill("浏览器测试")
    page.get_by_role("button", name="查询").click()
    page.wait_for_url("**/publicity/penalties/?*")
    rows = page.locator("table.data tbody tr")
    assert rows.count() == 1
    assert "异议处理中" in rows.first.inner_text()
    screenshot(page, "disclosure-public-search")

    rows.first.get_by_role("link", name="天津浏览器测试食品有限公司").click()
    expect(page.get_by_role("heading", name="行政处罚信息")).to_be_visible()
    expect(page.get_by_text("经营超过保质期的食品")).to_be_visible()
    screenshot(page, "disclosure-public-detail")


def test_clerk_imports_a_file_with_publishing_and_the_good_rows_appear_in_public_search(
    page, screenshot, settings, tmp_path
):
    from tests.disclosure.test_import import build_file, penalty_row
    from tests.registry.factories import UserFactory

    settings.MEDIA_ROOT = tmp_path
    department = DepartmentFactory(name="区市场监管局")
    UserFactory(username="import_clerk", role="clerk", department=department)
    rows = [
        penalty_row(1, department, 行政相对人名称="天津导入公示食品有限公司"),
        penalty_row(2, department, 处罚决定日期="下周"),
    ]
    upload = tmp_path / "records.xlsx"
    upload.write_bytes(build_file(rows))

    page.goto("/accounts/login/")
    page.fill("input[name=username]", "import_clerk")
    page.fill("input[name=password]", "Correct-Horse-42")
    page.locator("form button[type=submit]").last.click()
    page.goto("/staff/disclosure/imports/")
    page.get_by_label("行政处罚").check()
    page.get_by_label("文件", exact=True).set_input_files(str(upload))
    page.get_by_label("导入后直接公示").check()
    page.get_by_role("button", name="开始导入").click()
    page.wait_for_url("**/staff/disclosure/imports/*/")
    assert page.locator("#job-imported").inner_text() == "1"
    errors = page.locator("table.data").last.inner_text()
    assert "3" in errors and "处罚决定日期" in errors
    screenshot(page, "disclosure-import-result")

    page.goto("/publicity/penalties/?q=导入公示")
    assert page.locator("table.data tbody tr").count() == 1
    assert "天津导入公示食品有限公司" in page.locator("table.data tbody").inner_text()
