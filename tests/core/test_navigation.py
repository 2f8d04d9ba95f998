"""The navigation is built from URL names: missing pages are skipped, roles filter, the current page is marked."""

import pytest

from credit_portal.access import Role
from credit_portal.context_processors import STAFF_NAV, NavEntry, build_nav, first_url

pytestmark = pytest.mark.urls("tests.core.urls_portal_only")


def test_first_url_skips_names_that_do_not_exist():
    assert first_url("no-such-page", "home") == "/"
    assert first_url("no-such-page") is None


def test_entries_whose_pages_do_not_exist_are_left_out():
    entries = (NavEntry("甲", ("home",)), NavEntry("乙", ("no-such-page",)))
    assert [link["label"] for link in build_nav(entries, path="/", role=None)] == ["甲"]


def test_role_filter():
    entries = (NavEntry("全部", ("home",)), NavEntry("管理员", ("staff-home",), (Role.ADMIN,)))
    assert [link["label"] for link in build_nav(entries, path="/", role=Role.CLERK)] == ["全部"]
    assert [link["label"] for link in build_nav(entries, path="/", role=Role.ADMIN)] == ["全部", "管理员"]


def test_only_the_most_specific_link_is_current():
    links = build_nav(STAFF_NAV, path="/staff/notifications/", role=Role.CLERK)
    current = [str(link["label"]) for link in links if link["is_current"]]
    assert current == ["站内通知"]


def test_home_is_current_only_on_the_home_page():
    entries = (NavEntry("首页", ("home",)), NavEntry("工作台", ("staff-home",)))
    assert [link["is_current"] for link in build_nav(entries, path="/staff/", role=None)] == [False, True]
    assert [link["is_current"] for link in build_nav(entries, path="/", role=None)] == [True, False]
