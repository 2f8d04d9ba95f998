"""The grade with its reasons and the commitments with their fulfilment on the profile and in the report (issue 11).

The supervision suggestion (分级分类监管) is for departments: staff see it on the profile, the public never.
"""

from __future__ import annotations

import datetime

import pytest

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from sanctions.commitments.choices import CommitmentStatus, CommitmentType
from sanctions.evaluation import services as evaluation
from sanctions.models import Commitment

from .factories import subject_with_records
from .test_credit_report import download, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def _graded_subject(clerk):
    """A subject with a general penalty and a black-list entry (70 − 5 = 65: D) and a fulfilled commitment."""
    subject = subject_with_records()
    Commitment.objects.create(
        subject=subject,
        department=clerk.department,
        commitment_type=CommitmentType.DEFICIENCY_TOLERANCE,
        matter="建设工程规划许可容缺受理",
        text="三十日内补齐材料",
        commitment_date=datetime.date(2026, 5, 6),
        fulfil_by=datetime.date(2026, 6, 5),
        status=CommitmentStatus.FULFILLED,
        evidence="已补齐",
        resolved_date=datetime.date(2026, 6, 1),
        recorded_by=clerk,
    )
    evaluation.recompute_grades(today=timezone.localdate())
    return subject


def test_profile_shows_the_grade_reasons_and_commitment_fulfilment_without_supervision(client, clerk):
    subject = _graded_subject(clerk)
    html = client.get(reverse("subject-profile", args=[subject.pk])).content.decode()
    assert "公共信用综合评价" in html
    assert 'grade-symbol">D</strong> 失信' in html
    assert "有效的黑名单记录" in html and "公示期内的一般行政处罚" in html and "已履行的信用承诺" in html
    assert "建设工程规划许可容缺受理" in html and "2026-06-05" in html and "2026-06-01 认定" in html
    assert "双随机抽查比例" not in html and "监管建议" not in html


def test_staff_see_the_supervision_suggestion_on_the_profile(client, clerk):
    subject = _graded_subject(clerk)
    client.force_login(clerk)
    html = client.get(reverse("subject-profile", args=[subject.pk])).content.decode()
    assert "监管建议（仅部门可见）" in html
    assert "双随机抽查比例 30.00%" in html
    assert reverse("sanctions-subject-grade", args=[subject.pk]) in html


def test_an_ungraded_subject_says_so(client):
    subject = subject_with_records()
    html = client.get(reverse("subject-profile", args=[subject.pk])).content.decode()
    assert "该主体尚未评价" in html


def test_the_report_carries_the_grade_and_reasons_but_no_supervision(client, clerk):
    subject = _graded_subject(clerk)
    text = pdf_text(download(client, subject).content)
    section = text.split("七、公共信用综合评价")[1].split("八、信息来源及有效期说明")[0]
    assert "D失信" in section
    assert "有效的黑名单记录" in section and "-30" in section
    assert "双随机" not in text and "监管建议" not in text
    commitments = text.split("六、信用承诺信息")[1].split("七、")[0]
    assert "建设工程规划许可容缺受理" in commitments and "已履行" in commitments


def test_the_profile_query_count_does_not_grow_with_commitments(client, clerk, django_assert_max_num_queries):
    subject = _graded_subject(clerk)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("subject-profile", args=[subject.pk]))
    for number in range(10):
        Commitment.objects.create(
            subject=subject,
            department=clerk.department,
            commitment_type=CommitmentType.VOLUNTARY,
            matter=f"主动承诺{number}",
            text="诚信经营",
            commitment_date=datetime.date(2026, 5, 6),
            recorded_by=clerk,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("subject-profile", args=[subject.pk]))
