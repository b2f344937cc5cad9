"""The header's bell: my unread notices, counted on every staff page (one indexed count)."""

from django import template

from yichuang.core.notifications import unread_count

register = template.Library()


@register.inclusion_tag("core/partials/_notice_bell.html", takes_context=True)
def notice_bell(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"unread": unread_count(user), "nav": context.get("nav")}
