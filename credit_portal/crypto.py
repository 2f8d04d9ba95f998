"""Personal data at rest: ID numbers are encrypted, and found again through a keyed hash (DOMAIN §10).

Key rotation: set the new key as PERSONAL_DATA_KEY and the old one in PERSONAL_DATA_KEY_FALLBACKS, run
``manage.py rotate_personal_data_key``, then drop the fallback. While a fallback is set, ``decrypt`` reads
ciphertexts of either key; ``encrypt`` and ``keyed_hash`` always use the new one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from django.conf import settings

__all__ = ["InvalidToken", "decrypt", "encrypt", "keyed_hash", "keyed_hashes", "is_current", "rotate"]


@lru_cache(maxsize=8)
def _keys(master: str) -> tuple[Fernet, bytes]:
    # Two keys derived from one secret: one to encrypt, one to hash; neither reveals the other.
    encryption_key = hashlib.sha256(b"credit-portal/encrypt/" + master.encode()).digest()
    hash_key = hashlib.sha256(b"credit-portal/hash/" + master.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(encryption_key)), hash_key


def _masters() -> list[str]:
    """The current key first, then the old keys still accepted during a rotation."""
    fallbacks = getattr(settings, "PERSONAL_DATA_KEY_FALLBACKS", None) or []
    return [settings.PERSONAL_DATA_KEY, *(key for key in fallbacks if key and key != settings.PERSONAL_DATA_KEY)]


def _multi() -> MultiFernet:
    return MultiFernet([_keys(master)[0] for master in _masters()])


def encrypt(text: str) -> str:
    if not text:
        return ""
    fernet, _hash_key = _keys(settings.PERSONAL_DATA_KEY)
    return fernet.encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    """Plain text of a ciphertext made with the current key or, during a rotation, an old one."""
    if not token:
        return ""
    return _multi().decrypt(token.encode()).decode()


def is_current(token: str) -> bool:
    """Whether a ciphertext is already under the current key (a rotation skips it)."""
    if not token:
        return True
    fernet, _hash_key = _keys(settings.PERSONAL_DATA_KEY)
    try:
        fernet.decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def rotate(token: str) -> str:
    """The ciphertext re-encrypted under the current key (raises InvalidToken when no accepted key opens it)."""
    if not token:
        return ""
    return _multi().rotate(token.encode()).decode()


def _hash(hash_key: bytes, text: str) -> str:
    return hmac.new(hash_key, text.strip().upper().encode(), hashlib.sha256).hexdigest()


def keyed_hash(text: str) -> str:
    """HMAC-SHA256 of a normalised identifier: equal inputs match, the hash alone reveals nothing."""
    if not text:
        return ""
    _fernet, hash_key = _keys(settings.PERSONAL_DATA_KEY)
    return _hash(hash_key, text)


def keyed_hashes(text: str) -> list[str]:
    """The hash under the current key and under every old key still accepted (for look-ups during a rotation)."""
    if not text:
        return []
    return [_hash(_keys(master)[1], text) for master in _masters()]
