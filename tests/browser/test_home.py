"""The public home page in a real browser."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_page_search_box_is_reachable_by_its_label(page, screenshot):
    page.goto("/")
    box = page.get_by_label("搜索企业、个体工商户名称或统一社会信用代码")
    box.fill("测试")
    assert box.input_value() == "测试"
    screenshot(page, "home-desktop")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, "home-phone")
