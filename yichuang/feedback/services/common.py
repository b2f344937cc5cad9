"""Small checks the feedback verbs share."""

from django.utils.translation import gettext as _

from yichuang.core.errors import Invalid


def required_text(value: str, message, *, code: str = "text_required", limit: int = 4000) -> str:
    value = (value or "").strip()
    if not value:
        raise Invalid(message, code=code)
    if len(value) > limit:
        raise Invalid(_("内容过长（最多 %(n)d 字）") % {"n": limit}, code="too_long")
    return value
