"""Reads of the open-data app: the change feed page by cursor, and the published snapshots (issue 12)."""

from __future__ import annotations

import base64
import binascii
import json
import re
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from credit_portal.errors import DomainError

from .models import ChangeEvent

CURSOR_PREFIX = "ce1:"
MAX_ID = 2**63 - 1  # a BIGINT; a larger number in a forged cursor is refused, not sent to the database
SNAPSHOT_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class InvalidCursor(DomainError):
    code = "invalid_cursor"
    default_message = _("游标无效：请使用上一页返回的 next 值，或不带 since 从头读取。")


def encode_cursor(event_id: int) -> str:
    """An opaque cursor for 'after this change event'."""
    return base64.urlsafe_b64encode(f"{CURSOR_PREFIX}{event_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    """The change id a cursor stands for; an empty cursor is the start of the feed."""
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidCursor(field="since") from None
    digits = text[len(CURSOR_PREFIX) :] if text.startswith(CURSOR_PREFIX) else ""
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 19 or int(digits) > MAX_ID:
        raise InvalidCursor(field="since")
    return int(digits)


def change_page(*, after: int, limit: int) -> tuple[list[ChangeEvent], bool]:
    """Up to ``limit`` change events after id ``after``, in id order, and whether more follow (one query)."""
    rows = list(ChangeEvent.objects.filter(pk__gt=after).order_by("pk")[: limit + 1])
    return rows[:limit], len(rows) > limit


def snapshots() -> list[dict]:
    """Manifests of the snapshots on disk, newest first."""
    root = Path(settings.OPENDATA_ROOT)
    if not root.is_dir():
        return []
    found = []
    for folder in sorted(root.iterdir(), reverse=True):
        manifest = folder / "manifest.json"
        if SNAPSHOT_DATE.match(folder.name) and manifest.is_file():
            found.append(json.loads(manifest.read_text(encoding="utf-8")))
    return found


def snapshot_file(*, date: str, name: str) -> Path | None:
    """The path of a file a snapshot's manifest lists, or None (never a path built from unchecked input)."""
    if not SNAPSHOT_DATE.match(date):
        return None
    folder = Path(settings.OPENDATA_ROOT) / date
    manifest = folder / "manifest.json"
    if name == "manifest.json":
        return manifest if manifest.is_file() else None
    if not manifest.is_file():
        return None
    listed = {entry["name"] for entry in json.loads(manifest.read_text(encoding="utf-8"))["files"]}
    return folder / name if name in listed else None
