"""API keys: random, shown once, stored as a SHA-256 digest with a clear prefix for the lookup (issue 12)."""

from __future__ import annotations

import hashlib
import hmac
import secrets

KEY_MARK = "cpk"


def generate() -> tuple[str, str, str]:
    """A new key: (the key to show once, its prefix, its digest)."""
    prefix = secrets.token_hex(6)
    key = f"{KEY_MARK}_{prefix}_{secrets.token_urlsafe(32)}"
    return key, prefix, digest(key)


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def prefix_of(key: str) -> str | None:
    """The lookup prefix of a key in our format, or None for anything else."""
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_MARK or len(parts[1]) != 12 or not parts[2]:
        return None
    return parts[1]


def matches(key: str, stored_digest: str) -> bool:
    return hmac.compare_digest(digest(key), stored_digest)
