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
    licence = LicensingFactory(department=department_a, published=True, valid_to=datetime.date(2025, 3, 1))
    assert not Licensing.objects.public(today=datetime.date(2025, 3, 2)).filter(pk=licence.pk).exists()
