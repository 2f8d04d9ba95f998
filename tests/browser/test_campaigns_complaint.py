"""A member of the public files an integrity complaint and later reads the department's answer."""

import importlib

import pytest

from django.apps import apps

from campaigns import services
from campaigns.models import Complaint, ComplaintPolicy
from tests.registry.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_public_files_a_complaint_and_reads_the_answer_by_tracking_number(page, screenshot):
    if not ComplaintPolicy.objects.exists():  # a transactional test starts without the migration's seed rows
        importlib.import_module("campaigns.migrations.0002_seed_actions_and_ledger").seed(apps, None)
    department = DepartmentFactory(name="区市场监管局")
    reviewer = UserFactory(username="reviewer", role="reviewer")
    clerk = UserFactory(username="clerk_a", role="clerk", department=department)

    page.goto("/campaigns/complaints/new/")
    page.get_by_label("投诉类别").select_option("business")
    page.get_by_label("被投诉对象名称").fill("西青某某生鲜超市")
    page.get_by_label("投诉事项").fill("电子秤短斤少两，多次反映无果。")
    page.get_by_label("联系电话").fill("13700001234")
    screenshot(page, "campaigns-complaint-form")
    page.get_by_role("button", name="提交投诉").click()
    number = page.locator("#tracking-number").inner_text().strip()
    assert number.startswith("TS")

    complaint = Complaint.objects.get(tracking_number=number)
    services.assign_complaint(by=reviewer, complaint=complaint, department=department)
    services.answer_complaint(by=clerk, complaint=complaint, answer="经现场核查属实，已立案查处并责令整改。")

    page.goto("/campaigns/complaints/track/")
    page.get_by_label("查询编号").fill(number)
    page.get_by_role("button", name="查询").click()
    assert page.locator("#complaint-status").inner_text() == "已办结"
    assert "已立案查处并责令整改" in page.locator("#complaint-answer").inner_text()
    body = page.content()
    assert "13700001234" not in body
    screenshot(page, "campaigns-complaint-answer")
