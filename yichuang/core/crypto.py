"""Encryption at rest for personal data, and a keyed hash to find it without decrypting.

AES (Fernet: AES-128-CBC with HMAC-SHA256) from `cryptography`; a 国密 deployment can swap in
SM4 behind the same two functions.
"""

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


def _derive(purpose: bytes) -> bytes:
    return _derive_for(settings.FIELD_ENCRYPTION_KEY, purpose)


@lru_cache(maxsize=8)
def _derive_for(key: str, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(key.encode())


@lru_cache(maxsize=4)
def _fernet(key: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive(b"yichuang-field-encryption")))


def encrypt(value: str) -> str:
    return _fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(token.encode()).decode()
    except InvalidToken as exc:  # a wrong key must not pass silently as empty data
        raise ValueError("personal data cannot be decrypted with the configured key") from exc


def keyed_hash(value: str) -> str:
    """HMAC-SHA256 of a normalized value: equal inputs match, the hash reveals nothing."""
    normalized = "".join(value.split()).upper()
    key = _derive(b"yichuang-lookup-hash")
    return hmac.new(key, normalized.encode(), hashlib.sha256).hexdigest()
