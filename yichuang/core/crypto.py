"""Encryption at rest for personal data, and a keyed hash to find it without decrypting.

Two authenticated ciphers, chosen by FIELD_ENCRYPTION_CIPHER:

- ``fernet`` (the default): Fernet from `cryptography` (AES-128-CBC with HMAC-SHA256). Its values
  start with ``gAAAAA``, as they always have.
- ``sm4`` (国密): SM4 in GCM mode with a random 96-bit nonce, through `cryptography`'s SM4 (the
  OpenSSL build must provide it; ``manage.py check --deploy`` says when it does not). Its values
  carry a version prefix, ``sm4g1:`` + base64url(nonce | ciphertext | tag).

Decryption reads either format whatever the setting, so switching cipher or key never makes old
values unreadable; ``manage.py rotate_encryption_key`` rewrites them in the current one.

Keys: FIELD_ENCRYPTION_KEY encrypts; it and every FIELD_ENCRYPTION_OLD_KEYS key decrypt. Each
cipher key is derived from the configured string with HKDF-SHA256 and a label per purpose.

The lookup hash (HMAC-SHA256: ``Case.applicant_id_hash``, ``Booking.phone_hash``, ballot-code
digests) has its own key, FIELD_HASH_KEY. Unset, it is the OLDEST encryption key configured (the
last old key, else FIELD_ENCRYPTION_KEY) so that adding a new encryption key in front keeps
every hash valid, ballot codes included (of those only the hash is kept: they cannot be
recomputed). rotate_encryption_key recomputes the hashes it can (ID numbers, phones) from the
decrypted values under the hash key in force, so after a hash-key change (setting FIELD_HASH_KEY,
or dropping the oldest key while it is unset) one more run brings them in line.
"""

import base64
import hashlib
import hmac
import logging
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag, UnsupportedAlgorithm
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

logger = logging.getLogger(__name__)

SM4_PREFIX = "sm4g1:"
_NONCE_BYTES = 12
_TAG_BYTES = 16


class DecryptionError(ValueError):
    """No configured key opens the value (a wrong or missing key, or damaged data)."""


def encryption_keys() -> list[str]:
    """The current key first, then the old ones still accepted for reading."""
    return [settings.FIELD_ENCRYPTION_KEY, *getattr(settings, "FIELD_ENCRYPTION_OLD_KEYS", [])]


def hash_key_source() -> str:
    return getattr(settings, "FIELD_HASH_KEY", "") or encryption_keys()[-1]


def cipher_name() -> str:
    return getattr(settings, "FIELD_ENCRYPTION_CIPHER", "fernet")


@lru_cache(maxsize=32)
def _derive_for(key: str, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(key.encode())


@lru_cache(maxsize=8)
def _fernet(key: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive_for(key, b"yichuang-field-encryption")))


def _sm4_key(key: str) -> bytes:
    return _derive_for(key, b"yichuang-field-encryption-sm4")[:16]


@lru_cache(maxsize=1)
def sm4_available() -> bool:
    try:
        Cipher(algorithms.SM4(bytes(16)), modes.GCM(bytes(_NONCE_BYTES))).encryptor()
    except (UnsupportedAlgorithm, AttributeError):
        return False
    return True


def _encrypt_with(key: str, cipher: str, value: str) -> str:
    if cipher == "sm4":
        nonce = os.urandom(_NONCE_BYTES)
        enc = Cipher(algorithms.SM4(_sm4_key(key)), modes.GCM(nonce)).encryptor()
        body = enc.update(value.encode()) + enc.finalize()
        return SM4_PREFIX + base64.urlsafe_b64encode(nonce + body + enc.tag).decode()
    return _fernet(key).encrypt(value.encode()).decode()


def _decrypt_with(key: str, token: str) -> str:
    if token.startswith(SM4_PREFIX):
        raw = base64.urlsafe_b64decode(token[len(SM4_PREFIX) :].encode())
        if len(raw) < _NONCE_BYTES + _TAG_BYTES:
            raise DecryptionError("truncated SM4 value")
        nonce, body, tag = raw[:_NONCE_BYTES], raw[_NONCE_BYTES:-_TAG_BYTES], raw[-_TAG_BYTES:]
        dec = Cipher(algorithms.SM4(_sm4_key(key)), modes.GCM(nonce, tag)).decryptor()
        return (dec.update(body) + dec.finalize()).decode()
    return _fernet(key).decrypt(token.encode()).decode()


def encrypt(value: str) -> str:
    return _encrypt_with(settings.FIELD_ENCRYPTION_KEY, cipher_name(), value)


def decrypt(token: str) -> str:
    """The plain value, read with the first configured key that opens it."""
    for key in encryption_keys():
        try:
            return _decrypt_with(key, token)
        except (InvalidToken, InvalidTag, ValueError, UnsupportedAlgorithm):
            continue
    # a wrong key must not pass silently as empty data
    raise DecryptionError("personal data cannot be decrypted with the configured keys")


def is_current(token: str) -> bool:
    """Written with the current key and cipher (nothing for a rotation to do)?"""
    if token.startswith(SM4_PREFIX) != (cipher_name() == "sm4"):
        return False
    try:
        _decrypt_with(settings.FIELD_ENCRYPTION_KEY, token)
    except (InvalidToken, InvalidTag, ValueError, UnsupportedAlgorithm):
        return False
    return True


def keyed_hash(value: str) -> str:
    """HMAC-SHA256 of a normalized value: equal inputs match, the hash reveals nothing."""
    normalized = "".join(value.split()).upper()
    key = _derive_for(hash_key_source(), b"yichuang-lookup-hash")
    return hmac.new(key, normalized.encode(), hashlib.sha256).hexdigest()
