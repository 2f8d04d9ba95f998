"""Set-based periodic jobs: overdue marking with notifications, reminders, expiry with upstream withdrawals."""

from __future__ import annotations

import datetime

import pytest

from credit_portal.exchange.models import OutboxEvent
from credit_portal.models import AuditEvent, Notification
from disclosure import services
from disclosure.choices import LicenceState, RecordStatus, Timeliness
from disclosure.models import Licensing, Penalty
from tests.disclosure.factories import LicensingFactory, PenaltyFactory
from tests.registry.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_overdue_job_marks_records_and_notifies_each_clerk_once(clerk, department_a, department_b):
    other_clerk = UserFactory(username="clerk_a2", role="clerk", department=department_a)
    overdue = PenaltyFactory.create_batch(3, department=department_a, publication_due_date=datetime.date(2024, 3, 26))
    not_yet = PenaltyFactory(department=department_a, publication_due_date=datetime.date(2024, 3, 28))
    LicensingFactory(department=department_b, publication_due_date=datetime.date(2024, 3, 20))
    PenaltyFactory(department=department_a, publication_due_date=datetime.date(2024, 3, 1), is_publishable=False)

    today = datetime.date(2024, 3, 27)
    assert services.mark_overdue(today=today) == 4
    assert services.mark_overdue(today=today) == 0  # a second run changes nothing and sends nothing
    assert set(Penalty.objects.filter(timeliness=Timeliness.OVERDUE).values_list("pk", flat=True)) == {
        record.pk for record in overdue
    }
    not_yet.refresh_from_db()
    assert not_yet.timeliness == Timeliness.PENDING
    assert Notification.objects.filter(user=clerk, kind="disclosure_overdue").count() == 1
    assert Notification.objects.filter(user=other_clerk, kind="disclosure_overdue").count() == 1
    assert "3" in Notification.objects.get(user=clerk).message


def test_overdue_job_runs_in_a_fixed_number_of_queries(clerk, department_a, django_assert_max_num_queries):
    PenaltyFactory.create_batch(20, department=department_a, publication_due_date=datetime.date(2024, 3, 26))
    with django_assert_max_num_queries(12):
        services.mark_overdue(today=datetime.date(2024, 3, 27))


def test_reminders_go_two_working_days_before_the_deadline(clerk, department_a):
    # Due Friday 2024-03-29; Wednesday 27 is two working days before.
    PenaltyFactory(department=department_a, publication_due_date=datetime.date(2024, 3, 29))
    assert services.send_deadline_reminders(today=datetime.date(2024, 3, 26)) == 0
    assert services.send_deadline_reminders(today=datetime.date(2024, 3, 27)) == 1
    services.send_deadline_reminders(today=datetime.date(2024, 3, 27))
    assert Notification.objects.filter(user=clerk, kind="disclosure_reminder").count() == 1


def test_expiry_job_is_set_based_and_tells_upstream(department_a, django_assert_max_num_queries):
    ended = PenaltyFactory.create_batch(
        5, department=department_a, published=True, publication_end_date=datetime.date(2025, 3, 15)
    )
    running = PenaltyFactory(department=department_a, published=True, publication_end_date=datetime.date(2025, 3, 16))
    draft = PenaltyFactory(department=department_a, publication_end_date=datetime.date(2025, 1, 1))
    licence = LicensingFactory(department=department_a, published=True, valid_to=datetime.date(2025, 3, 1))

    with django_assert_max_num_queries(25):
        assert services.expire_records(today=datetime.date(2025, 3, 16)) == 6
    assert set(Penalty.objects.filter(status=RecordStatus.EXPIRED).values_list("pk", flat=True)) == {
        record.pk for record in ended
    }
    running.refresh_from_db()
    draft.refresh_from_db()
    licence.refresh_from_db()
    assert running.status == RecordStatus.PUBLISHED and draft.status == RecordStatus.DRAFT
    assert (licence.status, licence.current_state) == (RecordStatus.EXPIRED, LicenceState.INVALID)
    withdrawals = OutboxEvent.objects.filter(action="withdraw")
    assert withdrawals.filter(kind="penalty").count() == 5
    assert withdrawals.filter(kind="licensing", object_id=licence.pk).count() == 1
    assert AuditEvent.objects.filter(action="expired").count() == 6
    assert services.expire_records(today=datetime.date(2025, 3, 16)) == 0
    assert OutboxEvent.objects.count() == 6


def test_expired_records_leave_the_public_queryset(department_a):
    record = PenaltyFactory(department=department_a, published=True, publication_end_date=datetime.date(2025, 3, 15))
    assert Penalty.objects.public(today=datetime.date(2025, 3, 15)).filter(pk=record.pk).exists()
    assert not Penalty.objects.public(today=datetime.date(2025, 3, 16)).filter(pk=record.pk).exists()
    # No end date (a period not computed yet): shown, whatever the day.
    endless = PenaltyFactory(department=department_a, published=True, publication_end_date=None)
    assert Penalty.objects.public(today=datetime.date(9999, 12, 31)).filter(pk=endless.pk).exists()
    licence = LicensingFactory(department=department_a, published=True, valid_to=datetime.date(2025, 3, 1))
    assert not Licensing.objects.public(today=datetime.date(2025, 3, 2)).filter(pk=licence.pk).exists()


def test_provisional_due_dates_are_recomputed_once_the_schedule_is_official(department_a):
    from credit_portal.workdays import services as workdays
    from credit_portal.workdays.models import CalendarYear, SpecialDay

    # 2031-10-01 (Wednesday) onwards: without the notice only the statutory 国庆 days (1-3 October) are off.
    decision = datetime.date(2031, 9, 30)
    provisional = workdays.add_working_days(decision, 7)
    assert provisional.provisional is True
    draft = PenaltyFactory(
        department=department_a,
        decision_date=decision,
        publication_due_date=provisional.date,
        is_due_date_provisional=True,
    )
    published = PenaltyFactory(
        department=department_a,
        decision_date=decision,
        publication_due_date=provisional.date,
        is_due_date_provisional=True,
        published=True,
        timeliness=Timeliness.LATE,
        published_at=datetime.datetime(2031, 10, 14, 10, tzinfo=datetime.UTC),
    )
    assert services.refresh_provisional_due_dates(today=datetime.date(2031, 10, 13)) == 0  # nothing official yet

    # The administrators enter the notice: 1-7 October off, Saturday 11 October a working day.
    year = CalendarYear.objects.create(year=2031, is_official=True)
    for day in range(1, 8):
        SpecialDay.objects.create(date=datetime.date(2031, 10, day), kind="holiday", name="国庆节", year=year)
    SpecialDay.objects.create(date=datetime.date(2031, 10, 11), kind="workday", name="国庆节调休", year=year)
    CalendarYear.objects.get_or_create(year=2032, defaults={"is_official": True})
    workdays.bump_revision()

    assert services.refresh_provisional_due_dates(today=datetime.date(2031, 10, 13)) == 2
    draft.refresh_from_db()
    published.refresh_from_db()
    expected = workdays.add_working_days(decision, 7)
    assert expected.provisional is False
    assert (draft.publication_due_date, draft.is_due_date_provisional) == (expected.date, False)
    assert (provisional.date, expected.date) == (datetime.date(2031, 10, 14), datetime.date(2031, 10, 15))
    assert draft.timeliness == Timeliness.PENDING
    assert published.timeliness == Timeliness.ON_TIME  # published on the 14th: late by the guess, on time in fact
