"""Subjects with public records of every kind, for the profile, report and dashboard tests."""

from __future__ import annotations

import datetime

from tests.disclosure.factories import LicensingFactory, PenaltyFactory
from tests.registry.factories import SubjectFactory
from tests.sanctions.factories import ListEntryFactory, list_type

IN_PUBLICATION_UNTIL = datetime.date(2030, 12, 31)


def published_penalty(**kwargs):
    """A penalty still in its publication period, whatever today is."""
    kwargs.setdefault("publication_end_date", IN_PUBLICATION_UNTIL)
    return PenaltyFactory(published=True, **kwargs)


def published_licensing(**kwargs):
    kwargs.setdefault("valid_to", IN_PUBLICATION_UNTIL)
    kwargs.setdefault("publication_end_date", IN_PUBLICATION_UNTIL)
    return LicensingFactory(published=True, **kwargs)


def subject_with_records(*, name: str = "天津信用示例科技有限公司", department=None, with_list_entry: bool = True):
    """A legal entity with one licence, one penalty under objection and one black-list entry."""
    subject = SubjectFactory(name=name)
    extra = {"department": department} if department is not None else {}
    published_licensing(subject=subject, document_number="津西审批许〔2026〕8号", **extra)
    published_penalty(subject=subject, document_number="津西市监罚〔2026〕18号", is_under_objection=True, **extra)
    if with_list_entry:  # list types are seeded by a migration: gone in transactional tests
        ListEntryFactory(subject=subject, list_type=list_type("samr_serious"), **extra)
    return subject
