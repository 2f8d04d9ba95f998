"""Helpers of the open-data tests: public changes made the way the apps make them (records, outbox events)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from credit_portal.exchange import outbox
from disclosure.choices import InfoScope, RecordStatus
from tests.disclosure.factories import LicensingFactory, PenaltyFactory
from tests.sanctions.factories import ListEntryFactory

TODAY = timezone.localdate()


def published_penalty(**fields):
    """A penalty in publication today, with the outbox event its publication writes."""
    values = {
        "status": RecordStatus.PUBLISHED,
        "published_at": timezone.now(),
        "decision_date": TODAY - datetime.timedelta(days=20),
        "publication_end_date": TODAY + datetime.timedelta(days=365),
        "info_scope": InfoScope.PUBLIC,
    }
    values.update(fields)
    penalty = PenaltyFactory(**values)
    outbox.enqueue(penalty, action=outbox.Action.UPSERT)
    return penalty


def published_licensing(**fields):
    values = {
        "status": RecordStatus.PUBLISHED,
        "published_at": timezone.now(),
        "decision_date": TODAY - datetime.timedelta(days=20),
        "valid_from": TODAY - datetime.timedelta(days=20),
        "valid_to": TODAY + datetime.timedelta(days=365),
    }
    values.update(fields)
    licensing = LicensingFactory(**values)
    outbox.enqueue(licensing, action=outbox.Action.UPSERT)
    return licensing


def published_entry(**fields):
    values = {"valid_to": TODAY + datetime.timedelta(days=365)}
    values.update(fields)
    entry = ListEntryFactory(**values)
    outbox.enqueue(entry, action=outbox.Action.UPSERT)
    return entry
