"""Validation of what an applicant types at the window or online."""

import re

from django.utils.translation import gettext as _

from yichuang.core.contacts import normalize_phone  # noqa: F401  (the applicant's phone)
from yichuang.core.errors import Invalid

_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"


def id_check_digit(first17: str) -> str:
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def normalize_id_number(value: str) -> str:
    value = "".join((value or "").split()).upper()
    if not value:
        return ""
    if not re.fullmatch(r"\d{17}[\dX]", value) or id_check_digit(value[:17]) != value[17]:
        raise Invalid(
            _("身份证号码格式或校验位不正确"),
            code="invalid_id_number",
            fields={"id_number": value[-4:]},
        )
    return value


def normalize_name(value: str) -> str:
    value = (value or "").strip()
    if not value:
        raise Invalid(_("请填写申请人姓名"), code="invalid_name")
    if len(value) > 60:
        raise Invalid(_("申请人姓名过长"), code="invalid_name")
    return value
