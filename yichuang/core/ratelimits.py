"""Against guessing and flooding, per client address (and per phone for anonymous creation).

Public lookups by number and secret code go through core.lookup (one guard, one counter group
for all of them); `guard_lookup` and `count_failed_lookup` below are that guard's counter for
callers that compare a code themselves. Log-ins are limited per address across accounts;
anonymous creation (complaints, online inquiries, online applications) and SMS codes per
address and per phone. Every counter lives in the default cache, shared by all workers."""

import hashlib

from django.conf import settings
from django.utils.translation import gettext_lazy, gettext_noop
from django_ratelimit.core import get_usage

from . import lookup
from .errors import RateLimited


def guard_lookup(request, group: str | None = None) -> None:
    """Raise RateLimited once this address has used up its allowed failed lookups. `group` is
    ignored: every public lookup shares one counter (core.lookup.GROUP)."""
    lookup.check_not_blocked(request)


def count_failed_lookup(request, group: str | None = None) -> None:
    lookup.count_failure(request)


CREATE_GROUP = "anonymous-create"
CREATE_BLOCKED_MESSAGE = gettext_lazy(
    "提交过于频繁：同一网络或同一手机号在短时间内提交次数已达上限，请稍后再试，"
    "或拨打大厅服务电话、到大厅窗口办理"
)


def _phone_key(phone: str):
    digits = "".join(ch for ch in str(phone or "") if ch.isdigit())
    if not digits:
        return None
    # The cache key never holds the number itself.
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{digits}".encode()).hexdigest()
    return lambda group, request: digest


def guard_anonymous_create(request, *, phone: str = "") -> None:
    """Count one anonymous creation (a complaint, an online inquiry or application) against
    the client address and the phone given, and raise RateLimited past either rate
    (ANONYMOUS_CREATE_RATE per address, ANONYMOUS_CREATE_PHONE_RATE per phone). Called once
    the input is valid, just before the service keeps anything."""
    usage = get_usage(
        request,
        group=CREATE_GROUP,
        key="ip",
        rate=settings.ANONYMOUS_CREATE_RATE,
        increment=True,
    )
    limited = usage is not None and usage["should_limit"]
    key = _phone_key(phone)
    # A refused address does not count phones: one address cannot fill the cache with them.
    if not limited and key is not None:
        usage = get_usage(
            request,
            group=CREATE_GROUP + "-phone",
            key=key,
            rate=settings.ANONYMOUS_CREATE_PHONE_RATE,
            increment=True,
        )
        limited = usage is not None and usage["should_limit"]
    if limited:
        raise RateLimited(CREATE_BLOCKED_MESSAGE)


SUGGEST_GROUP = "public-suggest"


def guard_suggestion(request) -> None:
    """Count one free-question routing (the API's and the pages' as one counter) against the
    client address and raise RateLimited past SUGGEST_RATE: the index answers fast, but a
    script should not read the whole catalogue by asking."""
    usage = get_usage(
        request, group=SUGGEST_GROUP, key="ip", rate=settings.SUGGEST_RATE, increment=True
    )
    if usage is not None and usage["should_limit"]:
        raise RateLimited(gettext_lazy("查询过于频繁，请稍后再试"))


HALLS_GROUP = "public-halls"


def guard_hall_listing(request) -> None:
    """Count one public list of the halls (`GET /api/v1/halls`, the portal's hall choice
    asks it rarely) against the client address, at the free-question rate (SUGGEST_RATE), its
    own counter: cheap to answer, but not to be read in a loop."""
    usage = get_usage(
        request, group=HALLS_GROUP, key="ip", rate=settings.SUGGEST_RATE, increment=True
    )
    if usage is not None and usage["should_limit"]:
        raise RateLimited(gettext_lazy("查询过于频繁，请稍后再试"))


CODE_GROUP = "sms-code"
CODE_BLOCKED_MESSAGE = gettext_lazy(
    "获取验证码过于频繁：同一网络或同一手机号在短时间内获取次数已达上限，请稍后再试，"
    "或凭编号和查询码查询"
)


def guard_code_sending(request, *, phone: str) -> None:
    """Count one SMS code sent (the portal's 我的 by phone) against the client address and
    the phone, and raise RateLimited past either rate (SMS_CODE_ADDRESS_RATE per address,
    SMS_CODE_PHONE_RATE per phone): nobody floods a number with codes, or the gateway with
    numbers. Called once the number is valid, before anything is sent."""
    usage = get_usage(
        request, group=CODE_GROUP, key="ip", rate=settings.SMS_CODE_ADDRESS_RATE, increment=True
    )
    limited = usage is not None and usage["should_limit"]
    key = _phone_key(phone)
    if not limited and key is not None:
        usage = get_usage(
            request,
            group=CODE_GROUP + "-phone",
            key=key,
            rate=settings.SMS_CODE_PHONE_RATE,
            increment=True,
        )
        limited = usage is not None and usage["should_limit"]
    if limited:
        raise RateLimited(CODE_BLOCKED_MESSAGE)


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
    # A refused single sign-on guessed no password (and is recorded by sso/matching.py).
    if request is not None and "password" in (credentials or {}):
        _login_failures(request, increment=True)


LOGIN_BLOCKED_MESSAGE = gettext_noop("此地址登录失败次数过多，请 15 分钟后再试")
