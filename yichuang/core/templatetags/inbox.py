"""The header's 待我处理 badge: `{% load inbox %}{% inbox_count as n %}`."""

from django import template

from yichuang.core import inbox

register = template.Library()


@register.simple_tag(takes_context=True)
def inbox_count(context) -> int:
    """How many items wait for the user (one query, see core/inbox.py); the inbox page passes
    the number it has already counted."""
    if "inbox_total" in context:
        return context["inbox_total"]
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return inbox.count(user)
