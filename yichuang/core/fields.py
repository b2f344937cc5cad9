import logging

from django.db import models
from django.utils.translation import gettext_lazy as _

from . import crypto

logger = logging.getLogger(__name__)

UNREADABLE_TEXT = _("〔无法解密〕")
_reported: set[str] = set()


class Unreadable(str):
    """What a value that no configured key opens reads as: a visible marker instead of a 500.
    It keeps the stored ciphertext, so saving the row again writes that back unchanged (the
    data stays recoverable once the right key is configured)."""

    ciphertext: str

    def __new__(cls, ciphertext: str):
        obj = super().__new__(cls, str(UNREADABLE_TEXT))
        obj.ciphertext = ciphertext
        return obj


def is_unreadable(value) -> bool:
    return isinstance(value, Unreadable)


class EncryptedTextField(models.TextField):
    """Stores the value encrypted; reads give the plain text. Not searchable: pair it with a
    keyed-hash column where lookups are needed, and name that column in `hash_field` so that
    `rotate_encryption_key` can recompute it (the value is hashed with crypto.keyed_hash)."""

    def __init__(self, *args, hash_field: str | None = None, **kwargs):
        # Not part of the column (not deconstructed): it only tells the rotation what to rehash.
        self.hash_field = hash_field
        super().__init__(*args, **kwargs)

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        try:
            return crypto.decrypt(value)
        except crypto.DecryptionError:
            label = f"{self.model._meta.label}.{self.name}"
            if label not in _reported:  # once per field and process, not once per row
                _reported.add(label)
                logger.error(
                    "%s cannot be decrypted with the configured FIELD_ENCRYPTION_KEY or "
                    "FIELD_ENCRYPTION_OLD_KEYS; shown as unavailable",
                    label,
                )
            return Unreadable(value)

    def get_prep_value(self, value):
        if isinstance(value, Unreadable):
            return value.ciphertext
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return crypto.encrypt(value)


def encrypted_fields():
    """(model, field) for every EncryptedTextField of every installed model."""
    from django.apps import apps

    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedTextField)
    ]
