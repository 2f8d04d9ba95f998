"""Government-integrity pages: the credit office's ranking and filing pages, the public summary (issue 11)."""

from __future__ import annotations

from datetime import date

import pytest

from django.urls import reverse

from sanctions.integrity import services
from sanctions.integrity.choices import AssessmentStatus
from sanctions.integrity.criteria import DEFAULT_CRITERIA
from sanctions.models import GovernmentRecord, IntegrityAssessment
from tests.registry.factories import DepartmentFactory, SubjectFactory, make_uscc

pytestmark = pytest.mark.django_db

ITEMS = [
    {"criterion": "依法行政", "max_score": 40, "score": 35, "remark": ""},
    {"criterion": "履约践诺", "max_score": 60, "score": 50, "remark": "一项招商承诺未兑现"},
]


def _assess(reviewer, department, *, year=2025, items=ITEMS, final=False):
    assessment = services.record_assessment(by=reviewer, year=year, department=department, items=items)
    if final:
        assessment = services.finalise_assessment(assessment=assessment, by=reviewer)
    return assessment


def test_the_office_sees_the_ranking_with_criteria_and_remarks(client, reviewer):
    _assess(reviewer, DepartmentFactory(name="甲局"))
    _assess(reviewer, DepartmentFactory(name="乙局"), items=ITEMS[:1])
    client.force_login(reviewer)
    html = client.get(reverse("sanctions-integrity"), {"year": 2025}).content.decode()
    assert html.index("甲局") < html.index("乙局")
    assert "85.00" in html and "一项招商承诺未兑现" in html
    assert "确定并公开" in html


def test_clerks_and_visitors_cannot_open_the_office_pages(client, clerk):
    for name in ("sanctions-integrity", "sanctions-integrity-assess", "sanctions-integrity-record"):
        assert client.get(reverse(name)).status_code == 302  # to the login page
    client.force_login(clerk)
    for name in ("sanctions-integrity", "sanctions-integrity-assess", "sanctions-integrity-record"):
        assert client.get(reverse(name)).status_code == 403


def test_the_assessment_form_offers_the_default_criteria_and_saves_a_draft(client, reviewer):
    department = DepartmentFactory(name="丙局")
    client.force_login(reviewer)
    html = client.get(reverse("sanctions-integrity-assess")).content.decode()
    assert str(DEFAULT_CRITERIA[0][0]) in html
    data = {"year": 2025, "department": department.pk, "remarks": "总体良好"}
    data.update({"criterion_0": "依法行政", "max_score_0": "40", "score_0": "36", "remark_0": ""})
    data.update({"criterion_1": "招商引资政策承诺兑现", "max_score_1": "60", "score_1": "50.5"})
    response = client.post(reverse("sanctions-integrity-assess"), data)
    assert response.status_code == 302
    assessment = IntegrityAssessment.objects.get(department=department, year=2025)
    assert (str(assessment.score), assessment.status, len(assessment.items)) == ("86.50", AssessmentStatus.DRAFT, 2)
    # Reopened for the same department and year, the form shows the saved rows.
    html = client.get(reverse("sanctions-integrity-assess"), {"department": department.pk, "year": 2025})
    assert "招商引资政策承诺兑现" in html.content.decode()


def test_the_assessment_form_says_which_row_is_wrong(client, reviewer):
    client.force_login(reviewer)
    data = {"year": 2025, "department": DepartmentFactory().pk, "criterion_0": "依法行政", "max_score_0": "10"}
    data["score_0"] = "12"
    html = client.post(reverse("sanctions-integrity-assess"), data).content.decode()
    assert "第 1 项指标的得分应在 0 与满分之间" in html
    data.pop("score_0")
    html = client.post(reverse("sanctions-integrity-assess"), data).content.decode()
    assert "第 1 项指标请填写满分和得分" in html
    assert not IntegrityAssessment.objects.exists()


def test_finalising_on_the_page_fixes_the_assessment(client, reviewer):
    assessment = _assess(reviewer, DepartmentFactory())
    client.force_login(reviewer)
    response = client.post(reverse("sanctions-integrity-finalise", args=[assessment.pk]))
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.FINAL
    assert client.get(reverse("sanctions-integrity-finalise", args=[assessment.pk])).status_code == 405


def test_filing_and_publishing_a_record_on_the_pages(client, reviewer):
    agency = SubjectFactory(name="某区某局", uscc=make_uscc("1", "1", seed=4321))
    company = SubjectFactory()
    client.force_login(reviewer)
    url = reverse("sanctions-integrity-record")
    data = {"uscc": company.uscc, "kind": "broken_promise", "occurred_date": "2025-05-01", "description": "承诺未兑现"}
    html = client.post(url, data).content.decode()
    assert "只能对机关、事业单位" in html
    data["uscc"] = agency.uscc
    assert client.post(url, data).status_code == 302
    record = GovernmentRecord.objects.get(subject=agency)
    assert not record.is_public
    client.post(reverse("sanctions-integrity-publish", args=[record.pk]))
    record.refresh_from_db()
    assert record.is_public


def test_the_public_page_shows_only_fixed_assessments_and_published_records(client, reviewer):
    _assess(reviewer, DepartmentFactory(name="公开局"), final=True)
    _assess(reviewer, DepartmentFactory(name="草稿局"))
    agency = SubjectFactory(name="某区甲局", uscc=make_uscc("1", "1", seed=5555))
    hidden = SubjectFactory(name="某区乙局", uscc=make_uscc("1", "1", seed=5556))
    published = services.file_government_record(
        by=reviewer,
        subject=agency,
        kind="judgment_unfulfilled",
        description="未履行判决",
        occurred_date=date(2025, 3, 1),
    )
    services.publish_government_record(record=published, by=reviewer)
    services.file_government_record(
        by=reviewer, subject=hidden, kind="broken_contract", description="违约", occurred_date=date(2025, 3, 1)
    )
    response = client.get(reverse("sanctions-public-integrity"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "2025 年度部门政务诚信评价" in html
    assert "公开局" in html and "草稿局" not in html
    assert "某区甲局" in html and "未履行判决" in html
    assert "某区乙局" not in html
    assert reverse("sanctions-public-integrity") in html  # the public navigation links to it


def test_the_staff_menu_links_the_ranking_for_the_office_only(client, reviewer, clerk):
    client.force_login(reviewer)
    assert f'href="{reverse("sanctions-integrity")}"' in client.get(reverse("sanctions-commitments")).content.decode()
    client.force_login(clerk)
    assert (
        f'href="{reverse("sanctions-integrity")}"' not in client.get(reverse("sanctions-commitments")).content.decode()
    )
