"""Government integrity (政务诚信): agencies' dishonesty records and the yearly department assessment (issue 11)."""

from __future__ import annotations

from datetime import date

import pytest

from credit_portal.errors import DomainError
from sanctions.integrity import services
from sanctions.integrity.choices import GovernmentRecordKind
from tests.registry.factories import DepartmentFactory, SubjectFactory, make_uscc

pytestmark = pytest.mark.django_db

ITEMS = [
    {"criterion": "依法行政", "max_score": 40, "score": 35, "remark": ""},
    {"criterion": "政务公开", "max_score": 30, "score": 30},
    {"criterion": "履约践诺", "max_score": 30, "score": 20, "remark": "一项招商承诺未兑现"},
]


def _agency():
    return SubjectFactory(name="某区某局", uscc=make_uscc("1", "1", seed=777))


def test_only_the_credit_office_files_records_and_only_for_agencies(reviewer, clerk):
    with pytest.raises(DomainError) as caught:
        services.file_government_record(
            by=clerk,
            subject=_agency(),
            kind=GovernmentRecordKind.BROKEN_CONTRACT,
            description="x",
            occurred_date=date(2026, 1, 5),
        )
    assert caught.value.code == "permission_denied"
    with pytest.raises(DomainError) as caught:
        services.file_government_record(
            by=reviewer, subject=SubjectFactory(), kind="penalty", description="x", occurred_date=date(2026, 1, 5)
        )
    assert caught.value.code == "not_a_government_subject"


def test_assessment_total_ranking_and_public_summary(reviewer, api_client, api_for):
    first, second = DepartmentFactory(name="甲局"), DepartmentFactory(name="乙局")
    a = services.record_assessment(by=reviewer, year=2025, department=first, items=ITEMS)
    assert str(a.score) == "85.00"
    b = services.record_assessment(by=reviewer, year=2025, department=second, items=ITEMS[:2])
    body = api_for(reviewer).get("/api/v1/sanctions/integrity/assessments/", {"year": 2025}).json()
    assert [(row["department"], row["rank"]) for row in body["ranking"]] == [("甲局", 1), ("乙局", 2)]
    assert api_client.get("/api/v1/public/integrity/2025/").json()["ranking"] == []  # drafts are not public
    services.finalise_assessment(assessment=b, by=reviewer)
    with pytest.raises(DomainError) as caught:
        services.record_assessment(by=reviewer, year=2025, department=second, items=ITEMS)
    assert caught.value.code == "assessment_final"
    record = services.file_government_record(
        by=reviewer,
        subject=_agency(),
        kind="broken_promise",
        description="招商承诺未兑现",
        occurred_date=date(2025, 5, 1),
    )
    summary = api_client.get("/api/v1/public/integrity/2025/").json()
    assert summary["ranking"] == [{"rank": 1, "department": "乙局", "score": "65.00"}]
    assert summary["dishonest_agencies"] == []  # not yet published
    services.publish_government_record(record=record, by=reviewer)
    summary = api_client.get("/api/v1/public/integrity/2025/").json()
    assert summary["dishonest_agencies"][0]["record_count"] == 1


def test_a_score_above_the_maximum_is_refused(reviewer):
    with pytest.raises(DomainError) as caught:
        services.record_assessment(
            by=reviewer,
            year=2025,
            department=DepartmentFactory(),
            items=[{"criterion": "x", "max_score": 10, "score": 11}],
        )
    assert caught.value.code == "bad_item"


def test_clerks_cannot_see_the_ranking(api_for, clerk):
    assert api_for(clerk).get("/api/v1/sanctions/integrity/assessments/").status_code == 403
