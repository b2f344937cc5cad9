"""The queue's API: public booking and tickets (rate-limited), the public queue status for
screens and apps, and the window's calling verbs for staff."""

from datetime import date, datetime, time
from typing import Annotated

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from yichuang.catalog.models import Service
from yichuang.core.api_support import STAFF_AUTH, PageNumber, answered_in_transaction, one_of
from yichuang.core.errors import Invalid, NotAllowed
from yichuang.org.halls import find_hall
from yichuang.org.models import Window

from . import permissions, services
from .figures import DIMENSIONS, queue_figures
from .limits import guard_booking, guard_ticket
from .models import AppointmentStatus, PriorityReason, ServiceGroup, Ticket, TicketStatus
from .queries import queue_status, recent_calls, ticket_position
from .slots import open_days

router = Router(tags=["appointments"])


class SlotOut(Schema):
    date: date
    start: str
    end: str
    capacity: int
    free: int
    extended: bool


class AppointmentIn(Schema):
    group: str
    date: date
    start: time
    name: str
    phone: str
    service: str = ""


class AppointmentOut(Schema):
    number: str
    query_code: str | None = None
    group: str
    service: str | None
    date: date
    start: str
    end: str
    status: Annotated[str, one_of(AppointmentStatus)]


class TicketIn(Schema):
    group: str = ""
    service: str = ""
    priority_reason: Annotated[str, one_of("", PriorityReason)] = ""
    appointment: str = ""  # a booking's number, with its query_code: check in
    query_code: str = ""


class TicketOut(Schema):
    id: int
    number: str
    code: str | None = None
    group: str
    status: Annotated[str, one_of(TicketStatus)]
    priority_reason: Annotated[str, one_of("", PriorityReason)]
    ahead: int
    estimated_wait_minutes: int
    window: str | None
    issued_at: datetime


class TransferIn(Schema):
    window: str
    note: str = ""


class PauseIn(Schema):
    reason: str = ""


def _group(code: str) -> ServiceGroup:
    group = ServiceGroup.objects.filter(code=code, is_active=True).first()
    if group is None:
        raise Invalid(_("业务分组不存在：%(code)s") % {"code": code}, code="unknown_group")
    return group


def _service(group: ServiceGroup, code: str):
    if not code:
        return None
    service = Service.objects.filter(code=code, is_active=True).first()
    if service is None:
        raise Invalid(_("服务事项不存在：%(code)s") % {"code": code}, code="unknown_service")
    return service


def _appointment_out(a, *, with_code=False) -> dict:
    return {
        "number": a.number,
        "query_code": a.query_code if with_code else None,
        "group": a.group.code,
        "service": a.service.code if a.service_id else None,
        "date": a.day,
        "start": f"{a.start:%H:%M}",
        "end": f"{a.end:%H:%M}",
        "status": a.status,
    }


def _ticket_out(t: Ticket, *, with_code=False) -> dict:
    position = ticket_position(t)
    window = t.called_window or t.window
    return {
        "id": t.pk,
        "number": t.number,
        "code": t.code if with_code else None,
        "group": t.group.code,
        "status": t.status,
        "priority_reason": t.priority_reason,
        "ahead": position["ahead"],
        "estimated_wait_minutes": position["estimate_minutes"],
        "window": window.number if window else None,
        "issued_at": t.issued_at,
    }


def _found_appointment(request, number: str, query_code: str | None):
    return services.find_appointment(request, number, query_code or "")


@router.get("/appointments/slots", response=list[SlotOut])
def list_slots(request, group: str, date: date | None = None):
    """*public*: bookable slots of a group, for one date or the whole booking horizon."""
    found = _group(group)
    return [
        {
            "date": day,
            "start": f"{s.start:%H:%M}",
            "end": f"{s.end:%H:%M}",
            "capacity": s.capacity,
            "free": s.free,
            "extended": s.extended,
        }
        for day, slots in open_days(found)
        if date is None or day == date
        for s in slots
    ]


@router.post("/appointments", response={201: AppointmentOut})
def book(request, payload: AppointmentIn):
    """*public*: book a slot → 201 with the number and query code; 409 when it is full."""
    guard_booking(request)
    group = _group(payload.group)
    appointment = services.book_appointment(
        group=group,
        day=payload.date,
        start=payload.start,
        name=payload.name,
        phone=payload.phone,
        service=_service(group, payload.service),
    )
    return Status(201, _appointment_out(appointment, with_code=True))


@router.get("/appointments/{number}", response=AppointmentOut)
def get_appointment(request, number: str, query_code: str | None = None):
    """*public* with `?query_code=`."""
    return _appointment_out(_found_appointment(request, number, query_code))


@router.post("/appointments/{number}/cancel", response=AppointmentOut)
def cancel(request, number: str, query_code: str | None = None):
    """*public* with `?query_code=`: cancel until the slot begins."""
    appointment = _found_appointment(request, number, query_code)
    return _appointment_out(services.cancel_appointment(appointment, by=None))


@router.post("/tickets", response={201: TicketOut})
def take_ticket(request, payload: TicketIn):
    """*public*: a walk-in's ticket for `group`, or a booked applicant's (`appointment` +
    `query_code`) ahead of walk-ins. Rate-limited per client address."""
    guard_ticket(request)
    if payload.appointment:
        ticket = services.check_in(
            _found_appointment(request, payload.appointment, payload.query_code)
        )
    else:
        group = _group(payload.group)
        ticket = services.issue_ticket(
            group=group,
            service=_service(group, payload.service),
            priority_reason=payload.priority_reason,
        )
    return Status(201, _ticket_out(ticket, with_code=True))


@router.get("/tickets/{ticket_id}", response=TicketOut)
def get_ticket(request, ticket_id: int, code: str = ""):
    """*public* with the ticket's `?code=`: where it stands."""
    return _ticket_out(services.find_ticket(request, ticket_id, code))


@router.get("/tickets", response=list[TicketOut], auth=STAFF_AUTH)
@paginate(PageNumber)
def list_tickets(
    request,
    day: date | None = None,
    group: str = "",
    status: Annotated[str, one_of("", TicketStatus)] = "",
):
    """Staff: the day's tickets, scoped to the caller's departments."""
    qs = Ticket.objects.visible_to(request.auth).filter(day=day or timezone.localdate())
    if group:
        qs = qs.filter(group__code=group)
    if status:
        qs = qs.filter(status=status)
    return [
        _ticket_out(t)
        for t in qs.select_related("group", "called_window", "window").order_by("issued_at")
    ]


@router.get("/queue/status")
# On the primary: screens and phones re-read it the moment a push says the queue moved.
def status(request, hall: str | None = None):
    """*public*: waiting and the estimate per group, and the latest calls (for screens);
    `hall` a hall's code: that hall's groups and calls only (an unknown code is a 400
    `unknown_hall`)."""
    where = find_hall(hall)
    return {
        "groups": [
            {
                "code": row["group"].code,
                "name": row["group"].name,
                "prefix": row["group"].prefix,
                "waiting": row["waiting"],
                "windows": row["windows"],
                "estimated_wait_minutes": row["estimate_minutes"],
            }
            for row in queue_status(hall=where)
        ],
        "calls": [
            {"id": c["id"], "at": c["at"], "ticket": c["number"], "window": c["window"]}
            for c in recent_calls(hall=where)
        ],
    }


def _window(request, number: str, hall: str | None) -> Window:
    """The window `number` of hall `hall` (its code); without a hall, the one of that number
    among the windows the caller may call at. Each hall has its own 1号窗口: a number the
    caller may call at in several halls is a 400 `ambiguous_window` (name the hall with
    `?hall=`); an unknown hall a 400 `unknown_hall`; no window of that number a 404, one the
    caller may not call at a 403."""
    where = find_hall(hall)
    found = list(Window.objects.in_hall(where).filter(number=number).select_related("hall"))
    if not found:
        raise Http404
    mine = [w for w in found if permissions.can_call(request.auth, w)]
    if not mine:
        raise NotAllowed(_("您不能在 %(w)s 号窗口叫号") % {"w": number})
    if len(mine) > 1:
        raise Invalid(
            _("%(w)s 号窗口在多个大厅都有（%(halls)s），请用 ?hall= 指明大厅")
            % {"w": number, "halls": "、".join(f"{w.hall.name}: {w.hall.code}" for w in mine)},
            code="ambiguous_window",
        )
    return mine[0]


def _called(ticket, window) -> dict:
    return {"window": window.number, "ticket": _ticket_out(ticket) if ticket else None}


# The verbs below name a window by its number, and its hall by `?hall=` (see `_window`).
@router.post("/windows/{number}/call-next", auth=STAFF_AUTH)
@answered_in_transaction
def call_next(request, number: str, hall: str | None = None):
    """Finish the current ticket and call the next; `ticket` is null when nobody waits.
    `hall`: the window's hall (its code), needed when the caller may call at a window of this
    number in several halls (else a 400 `ambiguous_window`; an unknown code is a 400
    `unknown_hall`)."""
    window = _window(request, number, hall)
    return _called(services.call_next(window, by=request.auth), window)


@router.post("/windows/{number}/recall", auth=STAFF_AUTH)
@answered_in_transaction
def recall(request, number: str, hall: str | None = None):
    """Call the current ticket again. `hall` as for call-next (`ambiguous_window`,
    `unknown_hall`)."""
    window = _window(request, number, hall)
    return _called(services.recall(window, by=request.auth), window)


@router.post("/windows/{number}/skip", auth=STAFF_AUTH)
@answered_in_transaction
def skip(request, number: str, hall: str | None = None):
    """The current ticket did not come (过号). `hall` as for call-next (`ambiguous_window`,
    `unknown_hall`)."""
    window = _window(request, number, hall)
    return _called(services.skip(window, by=request.auth), window)


@router.post("/windows/{number}/done", auth=STAFF_AUTH)
@answered_in_transaction
def done(request, number: str, hall: str | None = None):
    """The current ticket is served. `hall` as for call-next (`ambiguous_window`,
    `unknown_hall`)."""
    window = _window(request, number, hall)
    return _called(services.finish(window, by=request.auth), window)


@router.post("/windows/{number}/transfer", auth=STAFF_AUTH)
@answered_in_transaction
def transfer(request, number: str, payload: TransferIn, hall: str | None = None):
    """Send the current ticket to window `payload.window` of the same hall (another hall's
    window of that number is a 400 `unknown_window`). `hall` as for call-next
    (`ambiguous_window`, `unknown_hall`)."""
    window = _window(request, number, hall)
    # A ticket moves to another window of the same hall only.
    target = Window.objects.filter(number=payload.window, hall_id=window.hall_id or 0).first()
    if target is None:
        raise Invalid(_("窗口不存在：%(w)s") % {"w": payload.window}, code="unknown_window")
    ticket = services.transfer(window, to_window=target, by=request.auth, note=payload.note)
    return _called(ticket, window)


@router.post("/windows/{number}/pause", auth=STAFF_AUTH)
@answered_in_transaction
def pause(request, number: str, payload: PauseIn | None = None, hall: str | None = None):
    """Stop calling at the window (its backups call its queue). `hall` as for call-next
    (`ambiguous_window`, `unknown_hall`)."""
    window = _window(request, number, hall)
    services.pause(window, by=request.auth, reason=payload.reason if payload else "")
    return {"window": window.number, "paused": True}


@router.post("/windows/{number}/resume", auth=STAFF_AUTH)
@answered_in_transaction
def resume(request, number: str, hall: str | None = None):
    """Call at the window again. `hall` as for call-next (`ambiguous_window`,
    `unknown_hall`)."""
    window = _window(request, number, hall)
    services.resume(window, by=request.auth)
    return {"window": window.number, "paused": False}


@router.get("/queue/figures", auth=STAFF_AUTH)
def figures(request, date_from: date | None = None, date_to: date | None = None, by: str = "group"):
    """Waiting and service times (minutes) and no-shows per group, window, staff or service."""
    if by not in DIMENSIONS:
        raise Invalid(_("by 应为 group、window、staff 或 service"), code="invalid_by")
    if not permissions.can_see_figures(request.auth):
        raise NotAllowed(_("只有负责人和大厅管理办公室可以查看排队统计"))
    date_from = date_from or timezone.localdate()
    date_to = date_to or date_from
    rows = queue_figures(request.auth, date_from=date_from, date_to=date_to, by=by)
    keep = (
        "key",
        "label",
        "issued",
        "called",
        "done",
        "no_show",
        "appointments",
        "avg_wait_minutes",
        "max_wait_minutes",
        "avg_service_minutes",
        "no_show_rate",
    )
    return {
        "from": date_from,
        "to": date_to,
        "by": by,
        "results": [{k: r[k] for k in keep} for r in rows],
    }
