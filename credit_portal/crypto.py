"""Personal data at rest: ID numbers are encrypted, and found again through a keyed hash (DOMAIN §10)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet
from django.conf import settings


@lru_cache(maxsize=4)
def _keys(master: str) -> tuple[Fernet, bytes]:
    # Two keys derived from one secret: one to encrypt, one to hash; neither reveals the other.
    encryption_key = hashlib.sha256(b"credit-portal/encrypt/" + master.encode()).digest()
    hash_key = hashlib.sha256(b"credit-portal/hash/" + master.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(encryption_key)), hash_key


def encrypt(text: str) -> str:
    if not text:
        return ""
    fernet, _hash_key = _keys(settings.PERSONAL_DATA_KEY)
    return fernet.encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    fernet, _hash_key = _keys(settings.PERSONAL_DATA_KEY)
    return fernet.decrypt(token.encode()).decode()


def keyed_hash(text: str) -> str:
    """HMAC-SHA256 of a normalised identifier: equal inputs match, the hash alone reveals nothing."""
    if not text:
        return ""
    _fernet, hash_key = _keys(settings.PERSONAL_DATA_KEY)
    return hmac.new(hash_key, text.strip().upper().encode(), hashlib.sha256).hexdigest()
