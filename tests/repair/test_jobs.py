"""The hourly job: reminders before a limit, overdue flags; set-based, each message once (DOMAIN §8)."""

from __future__ import annotations

import datetime

import pytest

from credit_portal.jobs import JOBS
from credit_portal.models import Notification
from repair import services
from repair.choices import ApplicationKind
from repair.models import Application

from .factories import file, repairable_penalty

pytestmark = pytest.mark.django_db
D = datetime.date


def test_overdue_applications_are_flagged_once_and_reviewers_told_once(reviewer):
    late = file(repairable_penalty(), today=D(2026, 11, 2))  # accept by 4 Nov
    on_time = file(repairable_penalty(), today=D(2026, 11, 24))
    result = services.scan_time_limits(today=D(2026, 11, 25))
    assert result["overdue"] == 1
    assert set(Application.objects.filter(is_overdue=True).values_list("pk", flat=True)) == {late.pk}
    assert reviewer.notifications.filter(kind="repair_overdue").count() == 1
    again = services.scan_time_limits(today=D(2026, 11, 25))
    assert again == {"overdue": 0, "notified": 0}
    assert not Application.objects.get(pk=on_time.pk).is_overdue


def test_reminder_goes_the_working_day_before_the_limit_once(reviewer):
    application = file(repairable_penalty(), today=D(2026, 11, 24))  # accept by 26 Nov
    services.scan_time_limits(today=D(2026, 11, 24))
    assert not Notification.objects.filter(kind="repair_reminder").exists()
    services.scan_time_limits(today=D(2026, 11, 25))
    services.scan_time_limits(today=D(2026, 11, 25))
    reminders = reviewer.notifications.filter(kind="repair_reminder")
    assert reminders.count() == 1 and application.tracking_number in reminders.get().message


def test_paused_applications_are_never_overdue(reviewer):
    application = file(repairable_penalty(), today=D(2026, 11, 2))
    services.request_materials(application=application, by=reviewer, note="补充", today=D(2026, 11, 3))
    assert services.scan_time_limits(today=D(2026, 11, 25))["overdue"] == 0


def test_routed_objection_overdue_tells_the_department_clerks(reviewer, clerk, clerk_b):
    application = file(
        repairable_penalty(department=clerk.department), kind=ApplicationKind.OBJECTION, today=D(2026, 11, 2)
    )
    services.route_objection(application=application, by=reviewer, today=D(2026, 11, 2))
    services.scan_time_limits(today=D(2026, 11, 25))
    assert clerk.notifications.filter(kind="repair_overdue").count() == 1
    assert not clerk_b.notifications.filter(kind="repair_overdue").exists()


def test_job_is_declared_hourly():
    job = next(job for job in JOBS if job.task == "repair.tasks.scan_time_limits")
    assert job.schedule.hour == set(range(24))


def test_demo_generates_applications_set_based(django_assert_max_num_queries):
    import io
    import random

    from repair import demo

    for _ in range(8):
        repairable_penalty()
    stdout = io.StringIO()
    with django_assert_max_num_queries(25):
        count = demo.generate(rng=random.Random(1), today=D(2026, 11, 25), stdout=stdout, scale=1000)
    assert count == 7 == Application.objects.count()
    assert Application.objects.filter(status="closed").count() == 1
