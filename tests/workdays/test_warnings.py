"""Administrators are warned once per year when the coming year's schedule is missing (DOMAIN §4)."""

import datetime

import pytest

from django.utils import timezone
from django.utils.module_loading import import_string

from credit_portal.jobs import JOBS
from credit_portal.models import Notification
from credit_portal.workdays import services, tasks
from tests.registry.factories import UserFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def test_missing_2027_schedule_notifies_each_administrator_once(administrator, clerk, reviewer):
    superuser = UserFactory(username="root", is_superuser=True, is_staff=True)
    UserFactory(username="old_admin", role="admin", is_active=False)
    services.warn_missing_schedules(today=D(2026, 11, 25))
    services.warn_missing_schedules(today=D(2026, 11, 26))  # the daily job runs again: no second message
    notes = Notification.objects.filter(kind="calendar_missing")
    assert sorted(notes.values_list("user__username", flat=True)) == sorted(
        [administrator.username, superuser.username]
    )
    assert set(notes.values_list("dedupe_key", flat=True)) == {"calendar_missing:2027"}
    assert "2027" in notes.first().message
    assert notes.first().link == "/admin/workdays/calendaryear/bulk/"


def test_no_warning_before_november_when_the_current_year_is_official(administrator):
    assert services.warn_missing_schedules(today=D(2026, 10, 31)) == 0
    assert not Notification.objects.filter(kind="calendar_missing").exists()


def test_no_warning_once_the_schedule_is_entered(administrator):
    entries = services.parse_schedule("2027-01-01 元旦", year=2027)
    services.save_year_schedule(by=administrator, year=2027, entries=entries)
    assert services.warn_missing_schedules(today=D(2026, 11, 25)) == 0
    assert not Notification.objects.filter(kind="calendar_missing").exists()


def test_the_periodic_job_runs_the_task_which_warns_for_the_current_date(administrator):
    job = next(job for job in JOBS if job.name == "calendar-schedule-warning")
    assert import_string(job.task) is tasks.warn_missing_schedules
    tasks.warn_missing_schedules.apply()
    expected = services.missing_official_years(today=timezone.localdate())
    keys = set(Notification.objects.filter(user=administrator).values_list("dedupe_key", flat=True))
    assert keys == {f"calendar_missing:{year}" for year in expected}
