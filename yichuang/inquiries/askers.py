"""Validation of what is typed about the asker and the matter, at the window or online."""

from django.utils.translation import gettext as _

from yichuang.core import text
from yichuang.core.contacts import normalize_email, normalize_phone  # noqa: F401  (the asker's contacts)
from yichuang.core.errors import Invalid

MATTER_MAX = 2000
ANSWER_MAX = 4000


def normalize_name(value: str) -> str:
    value = (value or "").strip()
    if not value:
        raise Invalid(_("请填写咨询人姓名"), code="invalid_name", fields={"name": "required"})
    if len(value) > 60:
        raise Invalid(_("咨询人姓名过长（最多 60 字）"), code="invalid_name")
    return value


def required_text(value: str, message, *, code: str, limit: int = MATTER_MAX) -> str:
    """core.text.required_text as inquiries answer: one code for empty and too long."""
    return text.required_text(value, message, code=code, limit=limit, too_long_code=code)
