"""The daily expiry job (DOMAIN §6): validity over → removed, upstream told, set-based."""

from __future__ import annotations

import datetime

import pytest

from credit_portal.exchange.models import OutboxEvent
from credit_portal.jobs import JOBS
from sanctions import services
from sanctions.choices import EntryStatus, RemovalReason
from sanctions.models import ListEntry, ListEntryStep

from .factories import ListEntryFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 25)


def test_entries_past_their_validity_are_removed_and_withdrawn_upstream():
    over = ListEntryFactory.create_batch(3, valid_to=datetime.date(2026, 11, 24))
    last_day = ListEntryFactory(valid_to=TODAY)  # still valid on its last day
    proposed = ListEntryFactory(status=EntryStatus.PROPOSED, valid_to=datetime.date(2020, 1, 1))

    assert services.expire_listings(today=TODAY) == 3

    removed = ListEntry.objects.filter(pk__in=[entry.pk for entry in over])
    assert set(removed.values_list("status", "removal_reason")) == {(EntryStatus.REMOVED, RemovalReason.EXPIRED)}
    assert ListEntry.objects.get(pk=last_day.pk).status == EntryStatus.PUBLISHED
    assert ListEntry.objects.get(pk=proposed.pk).status == EntryStatus.PROPOSED
    events = OutboxEvent.objects.filter(kind="list_entry", action="withdraw")
    assert sorted(events.values_list("object_id", flat=True)) == sorted(entry.pk for entry in over)
    assert ListEntryStep.objects.filter(status=EntryStatus.REMOVED, entry__in=over).count() == 3


def test_a_second_run_finds_nothing():
    ListEntryFactory(valid_to=datetime.date(2026, 1, 1))
    assert services.expire_listings(today=TODAY) == 1
    assert services.expire_listings(today=TODAY) == 0
    assert OutboxEvent.objects.count() == 1


def test_expiry_query_count_does_not_grow_with_rows(django_assert_max_num_queries):
    ListEntryFactory.create_batch(30, valid_to=datetime.date(2026, 1, 1))
    # select ids, update, steps, payloads, departments, events, audit, final empty select (+ content types, savepoints)
    with django_assert_max_num_queries(14):
        assert services.expire_listings(today=TODAY) == 30


def test_the_job_is_declared_once_for_beat_and_run_jobs():
    assert [job.task for job in JOBS].count("sanctions.tasks.expire_listings") == 1
