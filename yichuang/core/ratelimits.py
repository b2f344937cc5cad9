"""Against guessing: public lookups by number and secret code count only their failures per
client address; past the limit every lookup from that address answers 429 for a while, so
honest traffic (one right code at a time) is never slowed down."""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_ratelimit.core import get_usage

from .errors import RateLimited


def _failures(request, group: str, increment: bool):
    return get_usage(
        request, group=group, key="ip", rate=settings.LOOKUP_FAILURE_RATE, increment=increment
    )


def guard_lookup(request, group: str) -> None:
    """Raise RateLimited once this address has used up its allowed failures."""
    usage = _failures(request, group, increment=False)
    if usage is not None and usage["count"] >= usage["limit"]:
        raise RateLimited(_("查询失败次数过多，请 10 分钟后再试，或携带受理通知书到窗口查询"))


def count_failed_lookup(request, group: str) -> None:
    _failures(request, group, increment=True)


def _login_failures(request, increment: bool):
    return get_usage(
        request,
        group="login-address",
        key="ip",
        rate=settings.LOGIN_ADDRESS_FAILURE_RATE,
        increment=increment,
    )


def login_address_blocked(request) -> bool:
    """True once this address has failed too many log-ins across all accounts (password
    spraying: a few guesses at each of many accounts never trips the per-account lockout)."""
    usage = _login_failures(request, increment=False)
    return usage is not None and usage["count"] >= usage["limit"]


def count_failed_login(sender, credentials, request=None, **kwargs) -> None:
    if request is not None:
        _login_failures(request, increment=True)


LOGIN_BLOCKED_MESSAGE = gettext_noop("此地址登录失败次数过多，请 15 分钟后再试")
