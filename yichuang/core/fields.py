from django.db import models

from . import crypto


class EncryptedTextField(models.TextField):
    """Stores the value encrypted; reads give the plain text. Not searchable: pair it with a
    keyed-hash column where lookups are needed."""

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return crypto.encrypt(value)
