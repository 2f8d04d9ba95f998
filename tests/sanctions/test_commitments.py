"""Credit commitments: recording, fulfilment, breaking, the deadline scan, scoping and the public API (issue 11)."""

from __future__ import annotations

from datetime import date

import factory
import pytest

from credit_portal.errors import DomainError
from credit_portal.models import Notification
from sanctions.commitments import services
from sanctions.commitments.choices import CommitmentStatus, CommitmentType
from sanctions.models import Commitment, SubjectGrade
from tests.registry.factories import DepartmentFactory, NaturalPersonFactory, SubjectFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 1)


class CommitmentFactory(factory.django.DjangoModelFactory):
    """A pending 告知承诺 with a deadline."""

    class Meta:
        model = Commitment

    subject = factory.SubFactory(SubjectFactory)
    department = factory.SubFactory(DepartmentFactory)
    commitment_type = CommitmentType.NOTIFICATION
    matter = "食品经营许可"
    text = "本单位承诺所提交材料真实有效，并于期限内补交消防验收合格证明。"
    commitment_date = date(2026, 5, 1)
    fulfil_by = date(2026, 5, 20)
    recorded_by = factory.SubFactory(UserFactory)


def _record(clerk, subject, **overrides):
    data = {
        "commitment_type": CommitmentType.DEFICIENCY_TOLERANCE,
        "matter": "食品经营许可",
        "text": "承诺三十日内补齐缺少的材料。",
        "commitment_date": date(2026, 5, 1),
        "fulfil_by": date(2026, 5, 31),
    }
    data.update(overrides)
    return services.record_commitment(by=clerk, subject=subject, **data)


def test_clerk_records_a_commitment_for_own_department(clerk):
    commitment = _record(clerk, SubjectFactory())
    assert commitment.department == clerk.department
    assert commitment.status == CommitmentStatus.PENDING


def test_clerk_cannot_record_for_another_department(clerk, department_b):
    with pytest.raises(DomainError) as caught:
        _record(clerk, SubjectFactory(), department=department_b)
    assert caught.value.code == "permission_denied"


def test_deadline_before_commitment_date_is_refused(clerk):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        _record(clerk, SubjectFactory(), fulfil_by=date(2026, 4, 1))
    assert "fulfil_by" in str(caught.value) or "履诺期限" in str(caught.value)


def test_fulfilling_a_commitment_records_evidence_and_regrades_the_subject(clerk, django_capture_on_commit_callbacks):
    commitment = _record(clerk, SubjectFactory())
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        done = services.fulfil_commitment(commitment=commitment, by=clerk, evidence="已补交消防验收合格证明。")
    assert done.status == CommitmentStatus.FULFILLED
    assert done.resolved_date is not None
    assert len(callbacks) == 1
    grade = SubjectGrade.objects.get(subject=commitment.subject)
    assert {"factor": "commitment_fulfilled", "count": 1, "points": 1} in grade.reasons


def test_resolving_needs_evidence_and_happens_once(clerk):
    commitment = _record(clerk, SubjectFactory())
    with pytest.raises(DomainError) as caught:
        services.mark_commitment_broken(commitment=commitment, by=clerk, evidence="  ")
    assert caught.value.code == "evidence_required"
    services.mark_commitment_broken(commitment=commitment, by=clerk, evidence="逾期未补交材料。")
    with pytest.raises(DomainError) as caught:
        services.fulfil_commitment(commitment=commitment, by=clerk, evidence="后来补交了。")
    assert caught.value.code == "commitment_resolved"


def test_another_departments_commitment_is_not_found(clerk, clerk_b):
    commitment = _record(clerk, SubjectFactory())
    with pytest.raises(Commitment.DoesNotExist):
        services.fulfil_commitment(commitment=commitment, by=clerk_b, evidence="材料齐全。")


def test_deadline_job_flags_overdue_commitments_and_notifies_clerks_once(clerk, clerk_b):
    overdue = CommitmentFactory(department=clerk.department, fulfil_by=date(2026, 5, 20))
    CommitmentFactory(department=clerk.department, fulfil_by=date(2026, 6, 30))  # not yet due
    CommitmentFactory(department=clerk.department, fulfil_by=None)  # no deadline
    CommitmentFactory(department=clerk.department, status=CommitmentStatus.FULFILLED, evidence="已履行")
    assert services.flag_overdue_commitments(today=TODAY) == 1
    assert services.flag_overdue_commitments(today=TODAY) == 0  # a rerun finds nothing left
    overdue.refresh_from_db()
    assert overdue.is_overdue
    assert Notification.objects.filter(user=clerk, kind="sanctions.commitment_overdue").count() == 1
    assert not Notification.objects.filter(user=clerk_b).exists()


def test_overdue_commitment_can_then_be_found_broken(clerk):
    commitment = CommitmentFactory(department=clerk.department)
    services.flag_overdue_commitments(today=TODAY)
    broken = services.mark_commitment_broken(commitment=commitment, by=clerk, evidence="逾期未补交材料，经核查属实。")
    assert broken.status == CommitmentStatus.BROKEN


def test_staff_api_lists_only_own_department(api_for, clerk, clerk_b):
    mine = CommitmentFactory(department=clerk.department)
    theirs = CommitmentFactory(department=clerk_b.department)
    response = api_for(clerk).get("/api/v1/sanctions/commitments/")
    assert response.status_code == 200
    ids = [row["id"] for row in response.json()["results"]]
    assert ids == [mine.pk]
    assert api_for(clerk).get(f"/api/v1/sanctions/commitments/{theirs.pk}/").status_code == 404
    response = api_for(clerk).post(f"/api/v1/sanctions/commitments/{theirs.pk}/fulfil/", {"evidence": "x"})
    assert response.status_code == 404


def test_staff_api_records_and_fulfils(api_for, clerk):
    subject = SubjectFactory()
    client = api_for(clerk)
    response = client.post(
        "/api/v1/sanctions/commitments/",
        {
            "subject": subject.pk,
            "commitment_type": "notification",
            "matter": "建设工程规划许可",
            "text": "承诺符合许可条件。",
            "commitment_date": "2026-05-01",
            "fulfil_by": "2026-07-01",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    response = client.post(
        f"/api/v1/sanctions/commitments/{pk}/fulfil/", {"evidence": "现场核查符合。"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "fulfilled"
    response = client.post(f"/api/v1/sanctions/commitments/{pk}/break/", {"evidence": "x"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "commitment_resolved"


def test_public_api_lists_a_subjects_commitments_without_personal_data(api_client):
    company = SubjectFactory()
    person = NaturalPersonFactory()
    CommitmentFactory(subject=company)
    CommitmentFactory(subject=person)
    response = api_client.get("/api/v1/public/commitments/", {"uscc": company.uscc})
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["uscc"] for row in rows] == [company.uscc]
    response = api_client.get("/api/v1/public/commitments/")
    body = response.content.decode()
    assert person.name not in body  # masked (DOMAIN §10)
    assert "id_number" not in body


def test_public_commitment_list_query_count_does_not_grow(api_client, django_assert_max_num_queries):
    CommitmentFactory.create_batch(30)
    with django_assert_max_num_queries(3):
        response = api_client.get("/api/v1/public/commitments/")
    assert len(response.json()["results"]) == 20 or response.json()["count"] == 30


def test_staff_commitment_list_query_count_does_not_grow(api_for, reviewer, django_assert_max_num_queries):
    CommitmentFactory.create_batch(30)
    client = api_for(reviewer)
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/sanctions/commitments/")
    assert response.json()["count"] == 30


@pytest.mark.parametrize("kind", CommitmentType.values)
def test_letter_template_per_type_is_filled_with_the_subjects_data(client, clerk, kind):
    subject = SubjectFactory(name="天津承诺测试有限公司")
    client.force_login(clerk)
    response = client.get(f"/staff/sanctions/commitments/letters/{kind}/", {"subject": subject.pk})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode()
    assert "天津承诺测试有限公司" in text
    assert subject.uscc in text
    assert str(CommitmentType(kind).label) in text


def test_staff_pages_list_and_resolve_only_own_department(client, clerk, clerk_b):
    mine = CommitmentFactory(department=clerk.department, matter="我的承诺事项")
    theirs = CommitmentFactory(department=clerk_b.department, matter="别人的承诺事项")
    client.force_login(clerk)
    page = client.get("/staff/sanctions/commitments/").content.decode()
    assert "我的承诺事项" in page and "别人的承诺事项" not in page
    assert client.get(f"/staff/sanctions/commitments/{theirs.pk}/").status_code == 404
    response = client.post(f"/staff/sanctions/commitments/{mine.pk}/", {"action": "fulfil", "evidence": "已核实。"})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == CommitmentStatus.FULFILLED


def test_a_broken_commitment_becomes_a_black_list_proposal_with_notice_rights(api_for, clerk):
    from sanctions.choices import EntryStatus
    from sanctions.models import ListEntry
    from tests.sanctions.factories import list_type

    commitment = CommitmentFactory(department=clerk.department, recorded_by=clerk)
    client = api_for(clerk)
    url = f"/api/v1/sanctions/commitments/{commitment.pk}/propose-listing/"
    response = client.post(url, {"list_type": list_type("samr_serious").pk}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "commitment_not_broken"
    services.mark_commitment_broken(commitment=commitment, by=clerk, evidence="逾期未补交材料。")
    response = client.post(url, {"list_type": list_type("samr_serious").pk}, format="json")
    assert response.status_code == 201, response.json()
    entry = ListEntry.objects.get(pk=response.json()["list_entry"])
    assert entry.status == EntryStatus.PROPOSED  # notice and statement come next, as for any listing
    assert entry.subject_id == commitment.subject_id and entry.department == clerk.department
    assert entry.facts == "逾期未补交材料。"
    response = client.post(url, {"list_type": list_type("samr_serious").pk}, format="json")
    assert response.json()["errors"][0]["code"] == "commitment_already_listed"


def test_the_daily_jobs_are_declared_and_their_tasks_registered():
    from credit_portal import jobs
    from credit_portal.celery import app
    from sanctions import tasks  # noqa: F401 (the worker imports <app>.tasks)

    declared = {job.name: job.task for job in jobs.JOBS}
    for name in ("sanctions-overdue-commitments", "sanctions-recompute-grades"):
        assert declared[name] in app.tasks


def test_a_clerk_records_a_commitment_on_the_page(client, clerk, clerk_b):
    subject = SubjectFactory(name="页面承诺测试有限公司")
    client.force_login(clerk)
    url = "/staff/sanctions/commitments/new/"
    data = {
        "uscc": subject.uscc,
        "commitment_type": CommitmentType.NOTIFICATION,
        "matter": "食品经营许可",
        "text": "承诺符合许可条件。",
        "commitment_date": "2026-05-01",
        "fulfil_by": "2026-04-01",
    }
    html = client.post(url, data).content.decode()
    assert "履诺期限不能早于承诺日期" in html  # the model's rule, on its field
    data["fulfil_by"] = "2026-06-01"
    response = client.post(url, data)
    assert response.status_code == 302
    commitment = Commitment.objects.get(subject=subject)
    assert (commitment.department, commitment.recorded_by) == (clerk.department, clerk)
    data["uscc"] = "91120111MA0000000X"
    assert "主体库中没有该统一社会信用代码" in client.post(url, data).content.decode()


def test_the_office_without_a_department_cannot_record_commitments(client, reviewer):
    client.force_login(reviewer)
    assert client.get("/staff/sanctions/commitments/new/").status_code == 403


def test_a_broken_commitment_becomes_a_proposal_on_the_page(client, clerk, clerk_b):
    from sanctions.choices import EntryStatus
    from tests.sanctions.factories import list_type

    commitment = CommitmentFactory(department=clerk.department, recorded_by=clerk)
    client.force_login(clerk)
    url = f"/staff/sanctions/commitments/{commitment.pk}/"
    assert "转为失信记录" not in client.get(url).content.decode()  # still pending
    services.mark_commitment_broken(commitment=commitment, by=clerk, evidence="逾期未补交材料。")
    page = client.get(url).content.decode()
    assert "转为失信记录" in page and "陈述申辩" in page
    response = client.post(url, {"action": "list", "list_type": list_type("samr_serious").pk})
    commitment.refresh_from_db()
    assert commitment.list_entry.status == EntryStatus.PROPOSED
    assert response["Location"] == f"/staff/sanctions/entries/{commitment.list_entry_id}/"
    assert "查看名单办理进度" in client.get(url).content.decode()
    client.force_login(clerk_b)
    assert client.post(url, {"action": "list", "list_type": list_type("samr_serious").pk}).status_code == 404
