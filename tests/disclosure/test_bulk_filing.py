"""file_records_bulk: the set-based filing the import uses (DOMAIN §3: re-filing updates, never duplicates)."""

from __future__ import annotations

import datetime

import pytest

from django.utils import timezone

from credit_portal.exchange.models import OutboxEvent
from disclosure import services
from disclosure.choices import RecordStatus, Timeliness
from disclosure.models import Penalty, RecordVersion
from disclosure.validation import clean_penalty_row
from tests.disclosure.factories import penalty_data
from tests.registry.factories import make_uscc

pytestmark = pytest.mark.django_db


def rows(count: int, **overrides) -> list[dict]:
    cleaned_rows = []
    for n in range(count):
        data = penalty_data(
            number=f"批量罚〔2024〕{n}号", uscc=make_uscc("9", "1", seed=500 + n), subject_name=f"公司{n}"
        )
        data.update(overrides)
        cleaned, errors = clean_penalty_row(data)
        assert errors == []
        cleaned_rows.append(cleaned)
    return cleaned_rows


def test_bulk_filing_creates_records_with_due_dates_and_subjects(clerk):
    results = services.file_records_bulk(by=clerk, department=clerk.department, kind="penalty", rows=rows(5))
    assert [result.action for result in results] == ["created"] * 5
    assert Penalty.objects.count() == 5
    record = Penalty.objects.get(document_number="批量罚〔2024〕0号")
    assert record.publication_due_date == datetime.date(2024, 3, 26)
    assert record.subject.name == "公司0"
    assert record.timeliness == Timeliness.OVERDUE


def test_bulk_refiling_the_same_rows_duplicates_nothing(clerk):
    services.file_records_bulk(by=clerk, department=clerk.department, kind="penalty", rows=rows(5))
    again = services.file_records_bulk(by=clerk, department=clerk.department, kind="penalty", rows=rows(5))
    assert [result.action for result in again] == ["unchanged"] * 5
    assert Penalty.objects.count() == 5


def test_bulk_publish_and_correction_write_outbox_events_set_based(clerk, django_assert_max_num_queries):
    today = timezone.localdate()
    with django_assert_max_num_queries(40):
        services.file_records_bulk(
            by=clerk, department=clerk.department, kind="penalty", rows=rows(20, decision_date=today), publish=True
        )
    assert Penalty.objects.filter(status=RecordStatus.PUBLISHED, timeliness=Timeliness.ON_TIME).count() == 20
    assert OutboxEvent.objects.filter(action="upsert").count() == 20
    changed = rows(20, decision_date=today, content="更正后的内容")
    results = services.file_records_bulk(by=clerk, department=clerk.department, kind="penalty", rows=changed)
    assert {result.action for result in results} == {"corrected"}
    assert RecordVersion.objects.count() == 20
    assert Penalty.objects.filter(version=2).count() == 20
    assert OutboxEvent.objects.filter(action="upsert").count() == 40


def test_bad_rows_are_reported_and_good_rows_filed(clerk):
    batch = rows(3)
    batch[1]["source_department_uscc"] = make_uscc("1", "1", seed=31337)
    batch[2]["document_number"] = batch[0]["document_number"]
    results = services.file_records_bulk(by=clerk, department=clerk.department, kind="penalty", rows=batch)
    assert results[0].ok and results[0].action == "created"
    assert results[1].errors[0].code == "department_mismatch"
    assert results[2].errors[0].code == "duplicate_document_number_in_batch"
    assert Penalty.objects.count() == 1


def test_withdrawn_numbers_are_refused(clerk):
    [first] = services.file_records_bulk(by=clerk, department=clerk.department, kind="penalty", rows=rows(1))
    services.withdraw_penalty(penalty=first.record, by=clerk, reason="错误", document="说明")
    [again] = services.file_records_bulk(by=clerk, department=clerk.department, kind="penalty", rows=rows(1))
    assert again.errors[0].code == "record_closed"


def test_publishing_in_bulk_needs_the_publish_permission(clerk, administrator):
    from credit_portal.errors import PermissionDenied
    from tests.registry.factories import UserFactory

    no_rights = UserFactory(username="clerk_without_publish", department=clerk.department)
    no_rights.groups.add(*clerk.groups.all())
    no_rights.groups.first().permissions.remove(
        *no_rights.groups.first().permissions.filter(codename="publish_penalty")
    )
    no_rights = type(no_rights).objects.get(pk=no_rights.pk)  # fresh permission cache
    with pytest.raises(PermissionDenied):
        services.file_records_bulk(
            by=no_rights, department=clerk.department, kind="penalty", rows=rows(1), publish=True
        )
