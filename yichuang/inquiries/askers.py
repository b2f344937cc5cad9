"""Validation of what is typed about the asker and the matter, at the window or online."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from yichuang.core.errors import Invalid

_PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
MATTER_MAX = 2000
ANSWER_MAX = 4000


def normalize_name(value: str) -> str:
    value = (value or "").strip()
    if not value:
        raise Invalid(_("请填写咨询人姓名"), code="invalid_name", fields={"name": "required"})
    if len(value) > 60:
        raise Invalid(_("咨询人姓名过长（最多 60 字）"), code="invalid_name")
    return value


def normalize_phone(value: str, *, required: bool = False) -> str:
    value = "".join((value or "").split())
    if not value and required:
        raise Invalid(_("请填写联系电话"), code="invalid_phone", fields={"phone": "required"})
    if value and not _PHONE.fullmatch(value):
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


def required_text(value: str, message, *, code: str, limit: int = MATTER_MAX) -> str:
    value = (value or "").strip()
    if not value:
        raise Invalid(message, code=code)
    if len(value) > limit:
        raise Invalid(_("内容过长（最多 %(n)s 字）") % {"n": limit}, code=code)
    return value
