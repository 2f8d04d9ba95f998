"""Factories of the exchange: outbox events about any object (a department stands in until records exist)."""

from __future__ import annotations

import uuid

import factory

from django.contrib.contenttypes.models import ContentType

from credit_portal.exchange.models import OutboxEvent
from registry.models import Department
from tests.registry.factories import DepartmentFactory, make_uscc


def penalty_payload(n: int = 1, **overrides) -> dict:
    """A payload with the standard's mandatory penalty fields (DOMAIN §3)."""
    payload = {
        "subject_name": f"天津测试科技有限公司{n}",
        "subject_category": "legal_entity",
        "uscc": make_uscc("9", "1", seed=n),
        "legal_representative": "王建国",
        "document_number": f"西青市监罚〔2026〕{n}号",
        "violation_type": "虚假宣传",
        "penalty_categories": ["fine"],
        "fine_amount": "1.500000",
        "decision_date": "2026-11-02",
    }
    payload.update(overrides)
    return payload


class OutboxEventFactory(factory.django.DjangoModelFactory):
    """A pending penalty upsert about a department row (any content type serves the relay)."""

    class Meta:
        model = OutboxEvent

    kind = OutboxEvent.Kind.PENALTY
    action = OutboxEvent.Action.UPSERT
    department = factory.SubFactory(DepartmentFactory)
    content_type = factory.LazyFunction(lambda: ContentType.objects.get_for_model(Department))
    object_id = factory.Sequence(lambda n: 100_000 + n)
    payload = factory.Sequence(lambda n: penalty_payload(n))
    idempotency_key = factory.LazyFunction(lambda: uuid.uuid4().hex)
