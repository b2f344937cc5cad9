"""Against flooding the public queue: each ticket or booking counts against its client
address, and past the rate the address gets 429 for a while. Wrong booking and ticket codes
count as failed lookups in core.lookup, like every public number + code lookup."""

from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

from yichuang.core.errors import RateLimited

from . import conf


def guard_rate(request, group: str, rate: str) -> None:
    """Count this request and refuse it once the address is over `rate`."""
    usage = get_usage(request, group=group, key="ip", rate=rate, increment=True)
    if usage is not None and usage["should_limit"]:
        raise RateLimited(_("操作过于频繁，请稍后再试，或到大厅服务台咨询"))


def guard_ticket(request) -> None:
    guard_rate(request, "queue-ticket", conf.ticket_rate())


def guard_booking(request) -> None:
    guard_rate(request, "appointment-book", conf.booking_rate())
