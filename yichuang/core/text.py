"""The one check of a required free text (a reason, an answer, a title): trimmed, present,
not longer than the column or the page allows."""

from django.utils.translation import gettext as _

from .errors import Invalid


def required_text(
    value: str,
    message,
    *,
    code: str = "text_required",
    limit: int = 4000,
    too_long_code: str = "too_long",
) -> str:
    """`value` trimmed; Invalid(`message`, `code`) when empty, Invalid(too_long_code) when it
    has more than `limit` characters."""
    value = (value or "").strip()
    if not value:
        raise Invalid(message, code=code)
    if len(value) > limit:
        raise Invalid(_("内容过长（最多 %(n)d 字）") % {"n": limit}, code=too_long_code)
    return value
