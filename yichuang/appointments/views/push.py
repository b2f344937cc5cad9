"""The queue's event streams (issue 18, core/push.py): the hall screen, a window's calling
console and an applicant's ticket page each open one and, on each event, fetch the fragment
they already poll for. Each event is the queue's ledger position and nothing else.

- the hall screen's: public, like the screen itself; every step of a ticket or a window;
- a console's: for the staff who may call at that window (another's window is not found);
- a ticket's: for the holder of its code, through the public-lookup guard like the page
  (a wrong code counts as a failed lookup, 429 past the limit); only the steps that change
  what the page shows — its own (fetched `now`), those that move its group's queue and the
  windows' pauses (fetched `later`: within a few seconds, so that hundreds of phones on one
  queue do not all ask at once) — and it ends once the ticket is finished.

Under a WSGI server each answers 204 and the pages keep polling (core/push.py)."""

from functools import partial

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse

from yichuang.core import push
from yichuang.core.errors import NotFound, RateLimited

from .. import services
from ..models import TicketStatus
from ..permissions import callable_windows
from ..queries import concerns, concerns_hall, hall_queue, newest_step

TOPIC = "queue"
FINISHING = ("done", "skip")


async def screen_events(request):
    """`?hall=<code>`: that hall's screen hears its own queue only (the default hall's screen
    and a one-hall deployment's name none and hear every step)."""
    if not push.can_stream(request):
        return push.no_stream()
    wanted = concerns
    code = request.GET.get("hall", "")
    if code:
        found = await push.in_database(hall_queue)(code[:40])
        if found is None:
            return HttpResponse(status=404)
        wanted = partial(concerns_hall, groups=found[0], windows=found[1])
    return push.response(
        push.stream(
            TOPIC,
            since=push.last_event_id(request),
            wanted=wanted,
            newest=push.in_database(newest_step),
        )
    )


def _window(user, window_id):
    window = callable_windows(user).filter(pk=window_id).first()
    if window is None:
        raise Http404  # another department's window is simply not there
    return window


@login_required
async def window_events(request, window_id):
    if not push.can_stream(request):
        return push.no_stream()
    await push.in_database(_window)(request.user, window_id)
    return push.response(
        push.stream(
            TOPIC,
            since=push.last_event_id(request),
            wanted=concerns,
            newest=push.in_database(newest_step),
        )
    )


async def ticket_events(request, pk):
    if not push.can_stream(request):
        return push.no_stream()
    try:
        ticket = await push.in_database(services.find_ticket)(request, pk, request.GET.get("c", ""))
    except (RateLimited, NotFound) as exc:
        return HttpResponse(status=exc.status)
    if ticket.status not in (TicketStatus.WAITING, TicketStatus.CALLED):
        return push.no_stream()  # the page has stopped refreshing too
    mine = {"group": ticket.group_id, "ticket": ticket.pk}
    return push.response(
        push.stream(
            TOPIC,
            since=push.last_event_id(request),
            wanted=partial(concerns, **mine),
            newest=push.in_database(partial(newest_step, **mine)),
            ends=lambda m: m.get("ticket") == ticket.pk and m.get("action") in FINISHING,
            urgent=lambda m: m.get("ticket") == ticket.pk,
        )
    )
