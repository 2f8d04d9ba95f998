"""Helpers of the watch tests: change events as the feed writes them, valid codes."""

from __future__ import annotations

import itertools

from django.utils import timezone

from credit_portal.opendata.models import ChangeEvent
from tests.registry.factories import make_uscc

_source_ids = itertools.count(1_000_000)


def code(n: int) -> str:
    return make_uscc("9", "1", seed=500_000 + n)


def change(
    uscc: str, *, action: str = "published", kind: str = "penalty", name: str = "天津测试科技有限公司"
) -> ChangeEvent:
    """A public change event of the feed (what opendata.services.sync_changes writes)."""
    return ChangeEvent.objects.create(
        source_event_id=next(_source_ids),
        occurred_at=timezone.now(),
        kind=kind,
        action=action,
        object_id=next(_source_ids),
        uscc=uscc,
        summary={"subject_name": name, "uscc": uscc, "document_number": f"津西市监罚〔2026〕{uscc[-4:]}号"},
    )
