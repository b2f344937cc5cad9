"""The one guard for every public lookup by number and secret code (a case and its query code,
an inquiry, an appointment, a ticket, a complaint, a rating).

Guessing codes is slowed down per client address, across all such lookups together: one
counter group, so ten public endpoints do not give ten times the tries. Only failures count,
so honest traffic (one right code at a time) is never slowed down; past the limit every lookup
from that address answers 429 for a while, a right code included. The counters live in the
default cache, which every worker shares (Redis when `REDIS_URL` is set, else the database).

The code is compared in constant time, and against a dummy when the number does not exist,
so neither the answer nor its timing tells whether a number exists."""

import secrets

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy
from django_ratelimit.core import get_usage

from .clients import client_address
from .errors import NotFound, RateLimited

GROUP = "public-lookup"
# Compared with when the number does not exist: as long as a real code, never equal to one
# (real codes are upper-case letters and digits).
_DUMMY_CODE = "-" * 8

BLOCKED_MESSAGE = gettext_lazy("查询失败次数过多，请稍后再试，或携带受理凭证到大厅窗口查询")
NOT_FOUND_MESSAGE = gettext_lazy("编号或查询码不正确")


def normalized(code) -> str:
    """What the person typed, as codes are stored: trimmed, upper case."""
    return str(code or "").strip().upper()


def codes_match(given, expected) -> bool:
    """Constant-time comparison of a typed code with the stored one; an empty code never
    matches."""
    given_bytes = normalized(given).encode()
    expected_bytes = str(expected or _DUMMY_CODE).encode()
    same = secrets.compare_digest(given_bytes, expected_bytes)
    return same and bool(given_bytes) and bool(expected)


def _failures(request, increment: bool):
    return get_usage(
        request, group=GROUP, key="ip", rate=settings.LOOKUP_FAILURE_RATE, increment=increment
    )


# Set (for a day: longer than any failure window) by every failure of an address. An address
# without one has no failures to count, so its lookup reads one cache key and writes nothing:
# django-ratelimit's own read (get_usage without incrementing) begins with a cache.add, a
# write transaction on the database cache at every reload of a progress or ticket page.
_FAILED_RECENTLY = "public-lookup-failed:{address}"
_FAILED_RECENTLY_SECONDS = 24 * 3600


def _failed_recently_key(request) -> str:
    return _FAILED_RECENTLY.format(address=client_address(request))


def check_not_blocked(request) -> None:
    """Raise RateLimited once this address has used up its allowed failures."""
    if cache.get(_failed_recently_key(request)) is None:
        return
    usage = _failures(request, increment=False)
    if usage is not None and usage["count"] >= usage["limit"]:
        raise RateLimited(BLOCKED_MESSAGE)


def count_failure(request) -> None:
    _failures(request, increment=True)
    cache.set(_failed_recently_key(request), 1, _FAILED_RECENTLY_SECONDS)


def find_by_code(
    request, queryset, *, code, code_field: str = "query_code", message=None, **lookup
):
    """The object of `queryset` that `lookup` (e.g. `number=…`) names, if `code` is its code.

    Checks the address's failure counter first (RateLimited, 429), then fetches by the lookup,
    compares in constant time and, on any mismatch (unknown number, wrong or empty code),
    counts a failure and raises NotFound with `message` — the same answer either way."""
    check_not_blocked(request)
    found = queryset.filter(**lookup).first()
    expected = getattr(found, code_field) if found is not None else None
    if not codes_match(code, expected) or found is None:
        count_failure(request)
        raise NotFound(message if message is not None else NOT_FOUND_MESSAGE)
    return found


def create_cache_table(using="default", verbosity=0, **kwargs) -> None:
    """After every migrate: the database cache's table (a no-op with Redis or when it exists)."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=verbosity)
