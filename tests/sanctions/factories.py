"""Factories of the sanctions app: list entries in any state, made set-based where tests need many."""

from __future__ import annotations

from datetime import date

import factory

from django.utils import timezone

from sanctions.choices import EntryStatus
from sanctions.models import ListEntry, ListType, Measure
from tests.registry.factories import DepartmentFactory, SubjectFactory, UserFactory


def list_type(code: str) -> ListType:
    """A seeded list type by its code (the data migration provides them)."""
    return ListType.objects.get(code=code)


def measure(code: str) -> Measure:
    return Measure.objects.get(code=code)


class ListEntryFactory(factory.django.DjangoModelFactory):
    """A published, current black-list entry unless told otherwise."""

    class Meta:
        model = ListEntry

    list_type = factory.LazyFunction(lambda: list_type("samr_serious"))
    subject = factory.SubFactory(SubjectFactory)
    department = factory.SubFactory(DepartmentFactory)
    proposed_by = factory.SubFactory(UserFactory)
    status = EntryStatus.PUBLISHED
    reason = "生产销售不符合食品安全标准的食品，受到较重行政处罚。"
    decision_document_number = factory.Sequence(lambda n: f"津西市监严信〔2026〕{n + 1}号")
    decision_date = date(2026, 3, 2)
    valid_from = factory.LazyAttribute(lambda o: min(date(2026, 3, 2), o.valid_to) if o.valid_to else None)
    valid_to = date(2029, 3, 2)
    published_at = factory.LazyFunction(timezone.now)
