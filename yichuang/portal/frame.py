"""The portal frame's navigation, rendered once per process and kept (issue 18).

The menu (printed twice: the header's 全部服务 and the desk's bar) and the phone's tab bar
hold no one's data: the same links and labels for everybody, varying only with the language,
the address prefix, the URL configuration, the section a page marks current and the tab. Each
variant is rendered the first time it is asked for and its HTML reused after, so the page
people reload most (the progress page) does not reverse ~25 URLs and translate ~20 labels on
every request. Nothing personal, nothing per request (CSRF token, messages, the person's
name) ever goes through here; the frame's other parts stay in base.html.
"""

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import get_template
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

T = TypeVar("T")

MENU = "portal/partials/_menu.html"
TABBAR = "portal/partials/_tabbar.html"
KEPT_TEMPLATES = (MENU, TABBAR)

# A bound on the kept variants: their keys come from the code (sections, tabs, languages),
# not from the request, but a bug passing something open-ended must not grow the worker.
MAX_KEPT = 256

_kept: dict[Hashable, Any] = {}


def variant(*parts: Hashable) -> tuple:
    """The key of a fragment: what the caller says it varies with, plus what every reversed
    URL and translated label varies with."""
    return (get_language(), get_script_prefix(), get_urlconf(), *parts)


def kept(key: Hashable, make: Callable[[], T]) -> T:
    """What `make()` returns, made the first time `key` is asked for and kept after."""
    try:
        return _kept[key]
    except KeyError:
        if len(_kept) >= MAX_KEPT:
            _kept.clear()
        value = _kept[key] = make()
        return value


def fragment(key: Hashable, template_name: str, context: dict) -> SafeString:
    """`template_name` rendered with `context` (a plain context: no request, no context
    processors), kept under `key` for the next request."""
    return kept(key, lambda: mark_safe(get_template(template_name).render(context)))


def forget() -> None:
    """Drop everything kept (a setting or the URLs changed: tests)."""
    _kept.clear()


@receiver(setting_changed)
def _settings_changed(**kwargs) -> None:
    forget()
