"""Against guessing: public lookups by number and secret code count only their failures per
client address; past the limit every lookup from that address answers 429 for a while, so
honest traffic (one right code at a time) is never slowed down."""

from django.conf import settings
from django.utils.translation import gettext as _
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
