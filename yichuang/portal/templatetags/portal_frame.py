"""The portal frame's navigation, kept per variant (portal/frame.py)."""

from django import template
from django.templatetags.static import static
from django.urls import reverse

from .. import frame

register = template.Library()


@register.simple_tag(takes_context=True)
def portal_menu(context):
    """The public menu (portal/partials/_menu.html): the section the page marks current
    (`pnav`) and the links whose address the request's path is under."""
    links = context.get("PORTAL_LINKS") or []
    pnav = context.get("pnav") or ""
    # Which links there are (none where no request ran the context processor: the 500 page)
    # and which of them the path is under.
    shown = tuple((link["key"], link["current"]) for link in links)
    return frame.fragment(
        frame.variant("menu", str(pnav), shown),
        frame.MENU,
        {"pnav": pnav, "PORTAL_LINKS": links},
    )


@register.simple_tag(takes_context=True)
def portal_tabbar(context):
    """The phone's tab bar (portal/partials/_tabbar.html) with the current tab marked."""
    tab = context.get("PORTAL_TAB") or ""
    return frame.fragment(
        frame.variant("tabbar", str(tab)),
        frame.TABBAR,
        {"PORTAL_TAB": tab},
    )


@register.simple_tag
def frame_url(name: str) -> str:
    """{% url name %} for an address without arguments, reversed once and kept."""
    return frame.kept(frame.variant("url", name), lambda: reverse(name))


@register.simple_tag
def frame_static(path: str) -> str:
    """{% static path %}, resolved once and kept."""
    return frame.kept(frame.variant("static", path), lambda: static(path))
