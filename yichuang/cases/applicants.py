"""Validation of what an applicant types at the window or online."""

import re

from django.utils.translation import gettext as _

from yichuang.core.errors import Invalid

_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"
_PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


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


def normalize_phone(value: str) -> str:
    value = "".join((value or "").split())
    if value and not _PHONE.fullmatch(value):
        raise Invalid(_("联系电话格式不正确（手机号 11 位，或区号-座机号）"), code="invalid_phone")
    return value


def normalize_name(value: str) -> str:
    value = (value or "").strip()
    if not value:
        raise Invalid(_("请填写申请人姓名"), code="invalid_name")
    if len(value) > 60:
        raise Invalid(_("申请人姓名过长"), code="invalid_name")
    return value
