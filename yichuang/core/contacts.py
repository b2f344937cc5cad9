"""How an applicant's or asker's phone and e-mail are checked, once for every app."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from .crypto import keyed_hash
from .errors import Invalid

# A mainland mobile (11 digits) or a landline with its area code.
PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


def normalize_phone(value: str, *, required: bool = False) -> str:
    value = "".join((value or "").split())
    if not value and required:
        raise Invalid(_("请填写联系电话"), code="invalid_phone", fields={"phone": "required"})
    if value and not PHONE.fullmatch(value):
        raise Invalid(
            _("联系电话格式不正确（手机号 11 位，或区号-座机号）"),
            code="invalid_phone",
            fields={"phone": "format"},
        )
    return value


def normalize_email(value: str) -> str:
    value = (value or "").strip()
    if value:
        try:
            validate_email(value)
        except ValidationError as exc:
            raise Invalid(_("电子邮箱格式不正确"), code="invalid_email") from exc
    return value


def phone_hash(value: str) -> str:
    """The keyed hash that finds a person's cases, bookings, tickets, inquiries and complaints
    by phone without decrypting (EncryptedTextField's `hash_field`): "" for no phone, so rows
    without one never match each other."""
    value = "".join((value or "").split())
    return keyed_hash(value) if value else ""
