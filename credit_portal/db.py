"""Database helpers shared by services and jobs."""

from __future__ import annotations

from django.db import connection


def skip_locked() -> dict:
    """``select_for_update`` options: skip rows another worker holds, where the database supports it."""
    if connection.features.has_select_for_update_skip_locked:
        return {"skip_locked": True}
    return {}
