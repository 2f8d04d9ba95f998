"""The task ledger (seed 004): scoping, progress reports, status moves, overdue flags."""

import datetime

import pytest

from campaigns import services
from campaigns.choices import TaskStatus
from campaigns.models import LedgerTask, TaskDepartment
from credit_portal.errors import TransitionNotAllowed
from credit_portal.models import Notification
from tests.registry.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(department_a, department_b):
    """Task 1 belongs to department A, task 2 to department B (set up like the office would)."""
    TaskDepartment.objects.create(task=LedgerTask.objects.get(number=1), department=department_a, role="lead")
    TaskDepartment.objects.create(task=LedgerTask.objects.get(number=2), department=department_b, role="lead")
    return LedgerTask.objects.get(number=1), LedgerTask.objects.get(number=2)


def test_the_reviewer_sees_the_whole_ledger(reviewer, api_for, ledger):
    response = api_for(reviewer).get("/api/v1/campaigns/tasks/", {"page_size": 100})
    assert response.json()["count"] == 25
    first = response.json()["results"][0]
    assert first["deadline"] == "长期坚持" and first["departments"][0]["name"] == "区市场监管局"


def test_a_clerk_sees_only_the_tasks_of_their_department(clerk, api_for, ledger):
    response = api_for(clerk).get("/api/v1/campaigns/tasks/")
    assert [task["number"] for task in response.json()["results"]] == [1]


def test_a_clerk_of_b_gets_404_on_a_task_of_a(clerk_b, api_for, ledger):
    task_a, _task_b = ledger
    client = api_for(clerk_b)
    assert client.get(f"/api/v1/campaigns/tasks/{task_a.pk}/").status_code == 404
    response = client.post(
        f"/api/v1/campaigns/tasks/{task_a.pk}/reports/", {"text": "已推进", "status": "in_progress"}, format="json"
    )
    assert response.status_code == 404
    assert not task_a.reports.exists()


def test_the_responsible_clerk_reports_progress_and_moves_the_status(clerk, api_for, ledger):
    task_a, _ = ledger
    response = api_for(clerk).post(
        f"/api/v1/campaigns/tasks/{task_a.pk}/reports/", {"text": "办法已起草。", "status": "推进中"}, format="json"
    )
    assert response.status_code == 201, response.content
    task_a.refresh_from_db()
    assert task_a.status == TaskStatus.IN_PROGRESS
    assert task_a.reports.get().department == clerk.department


def test_a_completed_task_cannot_be_moved_back_by_a_report(clerk, ledger):
    task_a, _ = ledger
    services.report_task_progress(by=clerk, task=task_a, text="已完成。", status=TaskStatus.COMPLETED)
    with pytest.raises(TransitionNotAllowed):
        services.report_task_progress(by=clerk, task=task_a, text="重新推进。", status=TaskStatus.IN_PROGRESS)


def test_a_reviewer_cannot_report_for_a_department(reviewer, api_for, ledger):
    task_a, _ = ledger
    response = api_for(reviewer).post(
        f"/api/v1/campaigns/tasks/{task_a.pk}/reports/", {"text": "x", "status": "in_progress"}, format="json"
    )
    assert response.status_code == 403


def test_the_office_sets_a_deadline_or_long_term(reviewer, clerk, ledger):
    task_a, _ = ledger
    services.set_task_deadline(by=reviewer, task=task_a, deadline_date=datetime.date(2026, 12, 31))
    task_a.refresh_from_db()
    assert not task_a.is_long_term and task_a.deadline_display == "2026-12-31"
    services.set_task_deadline(by=reviewer, task=task_a, deadline_date=None)
    task_a.refresh_from_db()
    assert task_a.is_long_term and task_a.deadline_date is None


def test_overdue_tasks_are_flagged_set_based_and_their_units_notified_once(clerk, clerk_b, ledger):
    task_a, task_b = ledger
    LedgerTask.objects.filter(pk__in=[task_a.pk, task_b.pk]).update(
        is_long_term=False, deadline_date=datetime.date(2026, 6, 30)
    )
    services.report_task_progress(by=clerk_b, task=task_b, text="已完成。", status=TaskStatus.COMPLETED)
    assert services.flag_overdue_tasks(today=datetime.date(2026, 7, 1)) == 1
    assert services.flag_overdue_tasks(today=datetime.date(2026, 7, 2)) == 0
    assert list(LedgerTask.objects.filter(is_overdue=True)) == [task_a]
    assert Notification.objects.filter(user=clerk, kind="campaigns.task_overdue").count() == 1
    assert not Notification.objects.filter(user=clerk_b).exists()


def test_long_term_tasks_are_never_overdue(ledger):
    assert services.flag_overdue_tasks(today=datetime.date(2099, 1, 1)) == 0


def test_ledger_list_query_count_does_not_grow_with_departments(reviewer, api_for, django_assert_max_num_queries):
    departments = [DepartmentFactory() for _ in range(10)]
    for task in LedgerTask.objects.all():
        TaskDepartment.objects.bulk_create(
            [TaskDepartment(task=task, department=d, role="participant") for d in departments]
        )
    client = api_for(reviewer)
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/campaigns/tasks/", {"page_size": 100})
    assert len(response.json()["results"]) == 25


def test_a_clerk_without_a_responsible_task_sees_an_empty_ledger(api_for):
    outsider = UserFactory(role="clerk", department=DepartmentFactory(name="区档案馆"))
    assert api_for(outsider).get("/api/v1/campaigns/tasks/").json()["count"] == 0
