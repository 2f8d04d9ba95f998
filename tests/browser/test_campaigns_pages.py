"""The public integrity-building pages in a real browser, on demo data."""

import datetime
import importlib
import io
import random

import pytest
from playwright.sync_api import expect

from django.apps import apps

from campaigns import demo
from campaigns.models import SpecialAction
from tests.registry.factories import DepartmentFactory, SubjectFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_campaigns_pages_show_campaigns_actions_and_the_gallery(page, screenshot):
    if not SpecialAction.objects.exists():  # a transactional test starts without the migration's seed rows
        importlib.import_module("campaigns.migrations.0002_seed_actions_and_ledger").seed(apps, None)
    DepartmentFactory(name="区市场监管局")
    SubjectFactory.create_batch(3, category="individual_business")
    demo.generate(rng=random.Random(7), today=datetime.date.today(), stdout=io.StringIO(), scale=100)

    page.goto("/campaigns/")
    expect(page.get_by_role("heading", name="诚信建设", exact=True)).to_be_visible()
    expect(page.get_by_text("12·4 国家宪法日").first).to_be_visible()
    screenshot(page, "campaigns-home")
    page.locator("a[href^='/campaigns/']", has_text="诚信主题宣传活动").first.click()
    expect(page.get_by_role("heading", name="活动新闻")).to_be_visible()
    screenshot(page, "campaigns-detail")

    page.goto("/campaigns/special-actions/")
    expect(page.get_by_role("cell", name="电信网络诈骗专项治理")).to_be_visible()
    screenshot(page, "campaigns-special-actions")

    page.goto("/campaigns/role-models/")
    expect(page.get_by_text("王*荣")).to_be_visible()
    assert "王彩荣" not in page.content()
