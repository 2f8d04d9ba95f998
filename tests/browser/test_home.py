"""The public home page in a real browser: the search box, the look at two widths, labels and contrast."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

SEARCH_LABEL = "搜索企业、个体工商户名称或统一社会信用代码"

# WCAG 2.1: every form control has an accessible name; text has a contrast ratio of at least 4.5:1 (3:1 when
# large). The effective background is the first opaque background colour among the element and its ancestors.
ACCESSIBILITY_PROBLEMS_JS = """
() => {
  const problems = [];
  const parse = (c) => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(',').map(Number); return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; };
  const lum = ({r, g, b}) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const background = (el) => { for (let n = el; n; n = n.parentElement) {
      const c = parse(getComputedStyle(n).backgroundColor); if (c && c.a >= 0.99) return c; }
    return {r: 255, g: 255, b: 255, a: 1}; };
  for (const control of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
    const labelled = (control.labels && control.labels.length) || control.getAttribute('aria-label')
      || control.getAttribute('aria-labelledby') || control.getAttribute('title');
    if (!labelled) problems.push('no label: ' + control.outerHTML.slice(0, 80));
  }
  for (const img of document.querySelectorAll('img:not([alt])')) problems.push('no alt: ' + img.src);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || seen.has(el)) continue;
    seen.add(el);
    const style = getComputedStyle(el); const box = el.getBoundingClientRect();
    if (style.visibility === 'hidden' || style.display === 'none' || box.width < 2 || box.height < 2) continue;
    if (el.closest('[aria-hidden=true]')) continue;
    const fg = parse(style.color); const bg = background(el);
    const [l1, l2] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const ratio = (l1 + 0.05) / (l2 + 0.05);
    const size = parseFloat(style.fontSize); const bold = parseInt(style.fontWeight) >= 700;
    const needed = (size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5;
    if (ratio < needed) problems.push(ratio.toFixed(2) + ' < ' + needed + ': ' + el.textContent.trim().slice(0, 40));
  }
  return problems;
}
"""


def accessibility_problems(page) -> list[str]:
    return page.evaluate(ACCESSIBILITY_PROBLEMS_JS)


def test_home_page_search_box_is_reachable_by_its_label(page, screenshot):
    page.goto("/")
    box = page.get_by_label(SEARCH_LABEL)
    box.fill("测试")
    assert box.input_value() == "测试"
    screenshot(page, "home-desktop")
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, "home-phone")


def test_home_page_controls_are_labelled_and_text_has_enough_contrast(page):
    page.goto("/")
    assert accessibility_problems(page) == []
    page.set_viewport_size({"width": 375, "height": 800})
    assert accessibility_problems(page) == []


def test_skip_link_is_the_first_tab_stop_and_moves_to_the_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "跳到主要内容"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#content"


def test_phone_navigation_opens_from_the_menu_button(page):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/")
    first_link = page.get_by_role("navigation", name="主导航").get_by_role("link", name="首页")
    expect(first_link).to_be_hidden()
    page.get_by_text("栏目导航").click()
    expect(first_link).to_be_visible()


def test_search_from_the_home_page_sends_the_query_on(page):
    """To the public penalty search when it exists, else to the portal's subject search; the query travels along."""
    page.goto("/")
    page.get_by_label(SEARCH_LABEL).fill("华信")
    page.get_by_role("button", name="查询").click()
    page.wait_for_load_state()
    assert "q=%E5%8D%8E%E4%BF%A1" in page.url
