"""Read side of the queue: what a window calls from, how many wait and how long, the calls
for the hall screen, and the calling console. Counts are aggregated in the database."""

import math
from collections import defaultdict
from datetime import date, datetime, time
from statistics import median

from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yichuang.org.models import Hall, Window

from . import conf, routing
from .models import (
    ISSUING_STEPS,
    MOVING_STEPS,
    WINDOW_STEPS,
    Appointment,
    QueueEvent,
    ServiceGroup,
    Ticket,
    TicketStatus,
    WindowState,
)

S = TicketStatus


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def groups_of(window_ids) -> dict[int, set[int]]:
    """The active groups each window calls: {window id: {group id…}}."""
    rows = ServiceGroup.windows.through.objects.filter(
        window_id__in=window_ids, servicegroup__is_active=True
    ).values_list("window_id", "servicegroup_id")
    groups: dict[int, set[int]] = {w: set() for w in window_ids}
    for window_id, group_id in rows:
        groups[window_id].add(group_id)
    return groups


def queue_for(window, *, covers, day: date):
    """The waiting tickets `window` calls from, in call order: those sent to it or to a
    window it covers, and the undirected ones of their groups. Also the groups per window."""
    window_ids = [window.pk] + [c.window.pk for c in covers]
    groups = groups_of(window_ids)
    group_ids = set().union(*groups.values())
    qs = (
        Ticket.objects.filter(day=day, status=S.WAITING)
        .filter(Q(window_id__in=window_ids) | Q(window__isnull=True, group_id__in=group_ids))
        .in_call_order()
    )
    return qs, groups


def estimate_minutes(
    ahead: int, durations: list[int], *, default_minutes: int, windows: int
) -> int:
    """Minutes until the turn of someone with `ahead` people before them: the median of
    today's recent service times (seconds), or the group's default before there are any,
    spread over the windows calling the group. A median, because one long case must not
    frighten everyone after it."""
    if ahead <= 0:
        return 0
    per_person = median(durations) if durations else default_minutes * 60
    return math.ceil(ahead * per_person / max(windows, 1) / 60)


def recent_durations(group_ids, day: date) -> dict[int, list[int]]:
    """The latest N service times (seconds) of each group today, newest first."""
    sample = conf.estimate_sample()
    rows = (
        Ticket.objects.filter(
            day=day, group_id__in=group_ids, status=S.DONE, service_seconds__isnull=False
        )
        .order_by("-finished_at")
        .values_list("group_id", "service_seconds")
    )
    out: dict[int, list[int]] = defaultdict(list)
    for group_id, seconds in rows:
        if seconds is not None and len(out[group_id]) < sample:
            out[group_id].append(seconds)
    return out


def open_windows(group_ids) -> dict[int, int]:
    """Windows calling each group now (a paused window does not count)."""
    paused = WindowState.objects.filter(paused=True).values("window_id")
    rows = (
        ServiceGroup.windows.through.objects.filter(servicegroup_id__in=group_ids)
        .exclude(window_id__in=paused)
        .values("servicegroup_id")
        .annotate(n=Count("window_id"))
    )
    return {r["servicegroup_id"]: r["n"] for r in rows}


def queue_status(day: date | None = None, *, hall=None) -> list[dict]:
    """Per active group (of `hall`; None: every hall): waiting now, and the wait a walk-in
    taking a ticket now can expect. Three queries, whatever the number of groups."""
    day = day or timezone.localdate()
    groups = list(
        ServiceGroup.objects.in_hall(hall)
        .filter(is_active=True)
        .annotate(waiting=Count("tickets", filter=Q(tickets__day=day, tickets__status=S.WAITING)))
    )
    ids = [g.pk for g in groups]
    durations = recent_durations(ids, day)
    windows = open_windows(ids)
    return [
        {
            "group": g,
            "waiting": g.waiting,
            "windows": windows.get(g.pk, 0),
            "estimate_minutes": estimate_minutes(
                g.waiting,
                durations.get(g.pk, []),
                default_minutes=g.default_service_minutes,
                windows=windows.get(g.pk, 0),
            ),
        }
        for g in groups
    ]


def ahead_of(ticket: Ticket) -> int:
    """Waiting tickets that will be called before this one at its group's windows."""
    if ticket.status != S.WAITING:
        return 0
    before = (
        Q(priority__gt=ticket.priority)
        | Q(priority=ticket.priority, issued_at__lt=ticket.issued_at)
        | Q(priority=ticket.priority, issued_at=ticket.issued_at, id__lt=ticket.pk)
    )
    return (
        Ticket.objects.filter(day=ticket.day, status=S.WAITING, group_id=ticket.group_id)
        .filter(Q(window__isnull=True) | Q(window_id=ticket.window_id))
        .filter(before)
        .count()
    )


def ticket_position(ticket: Ticket) -> dict:
    """What the ticket page tells its holder: how many are ahead and about how long."""
    ahead = ahead_of(ticket)
    group = ticket.group
    return {
        "ahead": ahead,
        "estimate_minutes": estimate_minutes(
            ahead,
            recent_durations([group.pk], ticket.day).get(group.pk, []),
            default_minutes=group.default_service_minutes,
            windows=open_windows([group.pk]).get(group.pk, 0),
        ),
    }


def spoken(number: str, window_number: str) -> str:
    # Letters and digits one by one: "A 0 1 2" is read 零一二, never 十二.
    return _("请 %(n)s 号到 %(w)s 号窗口办理") % {"n": " ".join(number), "w": window_number}


def recent_calls(day: date | None = None, limit: int = 6, *, hall=None) -> list[dict]:
    """Today's calls (at the windows of `hall`; None: every hall), newest first, one line per
    ticket (a recall moves it to the top)."""
    day = day or timezone.localdate()
    events = QueueEvent.objects.filter(action__in=("call", "recall"), at__gte=day_start(day))
    if hall is not None:
        events = events.filter(window__hall=hall)
    events = events.select_related("ticket__group", "window").order_by("-at", "-id")[: limit * 3]
    calls, seen = [], set()
    for e in events:
        if e.ticket_id in seen or e.ticket is None or e.window is None:
            continue
        seen.add(e.ticket_id)
        calls.append(
            {
                "id": e.pk,
                "at": e.at,
                "number": e.ticket.number,
                "group": e.ticket.group.name,
                "window": e.window.number,
                "recall": e.action == "recall",
                "spoken": spoken(e.ticket.number, e.window.number),
            }
        )
        if len(calls) == limit:
            break
    return calls


def screen_data(day: date | None = None, *, hall=None) -> dict:
    """What the hall screen shows of the queue (of `hall`; None: every hall): the calls, and
    waiting per group (and the queue's position it shows them at, for its event stream)."""
    position = queue_position()
    calls = recent_calls(day, hall=hall)
    return {
        "calls": calls,
        "latest": max((c["id"] for c in calls), default=0),
        "groups": queue_status(day, hall=hall),
        "position": position,
    }


# ---- push (core/push.py): where the queue is, and what a page missed ------------------------


def queue_position() -> int:
    """The ledger position of the queue's last committed step (0 before any): a page rendered
    now has seen everything up to it. Read before the page's other queries, so that a step
    committing meanwhile is replayed rather than missed."""
    return QueueEvent.objects.aggregate(last=Max("seq"))["last"] or 0


def concerns(message: dict, *, group: int | None = None, ticket: int | None = None) -> bool:
    """Whether a pushed queue message changes a page: the hall screen and the consoles (no
    group) care about every step; a ticket's page about its own steps, the steps that move
    its group's queue (calls, transfers, tickets issued with priority) and the windows'
    pauses (they move its estimate). Its group's other steps (a walk-in issued behind it, a
    ticket finished) are left to the next of those, or its slow poll: hundreds of phones on
    one queue do not all fetch their page for each."""
    if group is None:
        return True
    return (
        (message.get("group") == group and bool(message.get("moves")))
        or (ticket is not None and message.get("ticket") == ticket)
        or message.get("action") in WINDOW_STEPS
    )


def concerns_hall(message: dict, *, groups: frozenset[int], windows: frozenset[int]) -> bool:
    """Whether a pushed queue message changes one hall's screen: the steps of its own queue
    groups, and the pauses of its own windows; another campus's calls are not its business."""
    group = message.get("group")
    return group in groups if group is not None else message.get("window") in windows


def hall_queue(code: str) -> tuple[frozenset[int], frozenset[int]] | None:
    """The queue groups and windows of the hall with this code (None: no such hall)."""
    hall = Hall.objects.filter(code=code).first()
    if hall is None:
        return None
    groups = ServiceGroup.objects.filter(hall=hall).values_list("pk", flat=True)
    windows = Window.objects.filter(hall=hall).values_list("pk", flat=True)
    return frozenset(groups), frozenset(windows)


def newest_step(after: int, *, group: int | None = None, ticket: int | None = None) -> int | None:
    """The position of the newest committed step after `after` that `concerns` the page (the
    same rule, in the database): what a reconnecting page missed. One query on the unique
    index of `seq`."""
    steps = QueueEvent.objects.filter(seq__gt=after).filter(
        Q(ticket__isnull=False) | Q(action__in=WINDOW_STEPS)
    )
    if group is not None:
        moving = Q(action__in=MOVING_STEPS) | Q(action__in=ISSUING_STEPS, ticket__priority__gt=0)
        mine = (Q(ticket__group_id=group) & moving) | Q(action__in=WINDOW_STEPS)
        if ticket is not None:
            mine |= Q(ticket_id=ticket)
        steps = steps.filter(mine)
    return steps.aggregate(last=Max("seq"))["last"]


def current_ticket(window) -> Ticket | None:
    """The ticket the window has called and not yet finished."""
    return (
        Ticket.objects.select_related("group", "service", "appointment", "case")
        .filter(called_window=window, status=S.CALLED)
        .order_by("-called_at", "-id")
        .first()
    )


def console(window, user, *, now: datetime | None = None) -> dict:
    """The calling console of one window: the current ticket, who waits, whom it covers and
    who covers it."""
    position = queue_position()
    now = now or timezone.now()
    day = timezone.localdate(now)
    covers = routing.covered_by(window, at=now)
    waiting, groups = queue_for(window, covers=covers, day=day)
    state = WindowState.objects.filter(window=window).select_related("paused_by").first()
    current = current_ticket(window)
    own = ServiceGroup.objects.filter(pk__in=groups[window.pk]).prefetch_related("services")
    return {
        "position": position,
        "window": window,
        "state": state,
        "paused": bool(state and state.paused),
        "current": current,
        "intake_services": _intake_services(current),
        "waiting": list(waiting.select_related("group", "window", "appointment")[:10]),
        "waiting_count": waiting.count(),
        "covers": covers,
        "covered_by": routing.cover_for(window, at=now),
        "groups": own,
        "recent": QueueEvent.objects.filter(window=window, at__gte=day_start(day))
        .select_related("ticket", "by")
        .order_by("-at", "-id")[:8],
    }


def _intake_services(current):
    """The services the intake link may open for the current ticket: its own, else those of
    its group (the clerk picks one)."""
    if current is None:
        return []
    if current.service_id:
        return [current.service]
    return [s for s in current.group.services.all() if s.is_active]


def appointments_of_phone(phone_hash: str, *, since: date, limit: int = 20):
    """The bookings made with the phone of this keyed hash (core.contacts.phone_hash) for a
    day from `since` on, latest first: what the portal's 我的 lists once the phone is
    verified by an SMS code."""
    if not phone_hash:
        return Appointment.objects.none()
    return (
        Appointment.objects.filter(phone_hash=phone_hash, day__gte=since)
        .select_related("group", "service")
        .order_by("-day", "-start", "-id")[:limit]
    )


def tickets_of_phone(phone_hash: str, *, since: date, limit: int = 20):
    """The tickets of the phone of this keyed hash (a walk-in's number, or the booking's it
    was checked in with) from `since` on, newest first, for the portal's 我的."""
    if not phone_hash:
        return Ticket.objects.none()
    return (
        Ticket.objects.filter(phone_hash=phone_hash, day__gte=since)
        .select_related("group", "service", "called_window")
        .order_by("-day", "-issued_at", "-id")[:limit]
    )
