"""In-portal notifications, written set-based and at most once per dedupe key."""

from __future__ import annotations

from collections.abc import Iterable

from .models import Notification


def notify_users(user_ids: Iterable[int], *, kind: str, message: str, link: str = "", dedupe_key: str = "") -> int:
    """Send one message to several users; a repeated dedupe key is ignored, so jobs may run twice."""
    rows = [
        Notification(user_id=user_id, kind=kind, message=str(message), link=link, dedupe_key=dedupe_key)
        for user_id in user_ids
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=bool(dedupe_key), batch_size=1000)
    return len(rows)
