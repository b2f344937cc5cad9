"""The public side, phone first: book a slot (预约), look up or cancel a booking, take a
ticket (取号) as a walk-in or with a booking's code, and follow the ticket until it is called."""

from datetime import date
from typing import Any

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from yichuang.core.db_routing import reads_may_lag
from yichuang.core.errors import DomainError, Invalid, NotFound, RateLimited
from yichuang.core.masking import mask_name, mask_phone
from yichuang.core.notifications.receipt import sms_receipt
from yichuang.core.pages import render_page
from yichuang.core.qr import qr_code
from yichuang.org.halls import chosen_hall, several_halls

from .. import conf, services
from ..forms import BookForm, CodeForm, TicketForm
from ..limits import guard_booking, guard_ticket
from ..models import ServiceGroup, Ticket
from ..near import NEAR_TURN
from ..queries import queue_position, queue_status, ticket_position
from ..slots import open_days


def booking_path(appointment) -> str:
    return (
        reverse("appointments:booking", args=[appointment.number]) + f"?c={appointment.query_code}"
    )


def ticket_path(ticket) -> str:
    return reverse("appointments:ticket", args=[ticket.pk]) + f"?c={ticket.code}"


def hall_choice(request, hall) -> dict:
    """What a public page shows of the applicant's hall: the chosen one, and whether there is
    a choice at all (a one-hall deployment shows nothing)."""
    return {"chosen_hall": hall, "several_halls": several_halls()}


def _day(value, days):
    try:
        wanted = date.fromisoformat(value or "")
    except ValueError:
        wanted = None
    known = [d for d, _slots in days]
    return wanted if wanted in known else (known[0] if known else None)


def book(request):
    """Step by step on one page: the group, the day, the slot, then name and phone."""
    hall = chosen_hall(request)
    groups = (
        ServiceGroup.objects.in_hall(hall)
        .filter(is_active=True, takes_appointments=True)
        .select_related("department", "hall")
    )
    group = None
    if request.GET.get("group"):
        group = get_object_or_404(groups, code=request.GET["group"])
    context: dict[str, Any] = {
        "pnav": "book",
        "groups": groups,
        "group": group,
        **hall_choice(request, hall),
    }
    if group is None:
        return render(request, "appointments/book.html", context)
    days = open_days(group)
    day = _day(request.GET.get("day"), days)
    form = BookForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        service = group.services.filter(code=data["service"]).first() if data["service"] else None
        try:
            guard_booking(request)
            appointment = services.book_appointment(
                group=group,
                day=day,
                start=data["start"],
                name=data["name"],
                phone=data["phone"],
                service=service,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            return redirect(booking_path(appointment) + "&new=1")
    context.update(
        {
            "days": days,
            "day": day,
            "slots": dict(days).get(day, []),
            "services": group.services.filter(is_active=True),
            "form": form,
        }
    )
    return render_page(
        request, "appointments/book.html", context, fragment="appointments/partials/_slots.html"
    )


def _lookup_failed(request, number, error, status=404):
    return render(
        request,
        "appointments/lookup.html",
        {"pnav": "book", "form": CodeForm(initial={"number": number}), "error": error},
        status=status,
    )


def booking_lookup(request):
    form = CodeForm(request.GET or None)
    if form.is_valid():
        number, code = form.cleaned_data["number"].strip(), form.cleaned_data["code"].strip()
        return redirect(reverse("appointments:booking", args=[number]) + f"?c={code.upper()}")
    return render(request, "appointments/lookup.html", {"pnav": "book", "form": form})


@reads_may_lag
def booking(request, number):
    """The booking with its QR code for the hall's ticket page, and the cancel button."""
    code = request.GET.get("c", "")
    try:
        appointment = services.find_appointment(request, number, code)
    except RateLimited as exc:
        return _lookup_failed(request, number, exc.message, status=429)
    except NotFound:
        return _lookup_failed(request, number, _("预约号或查询码不正确"))
    if request.method == "POST" and request.POST.get("action") == "cancel":
        try:
            services.cancel_appointment(appointment, by=None)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("预约已取消"))
        return redirect(booking_path(appointment))
    checkin = request.build_absolute_uri(
        reverse("appointments:checkin") + f"?n={appointment.number}&c={appointment.query_code}"
    )
    new = request.GET.get("new") == "1"
    context = {
        "pnav": "book",
        "a": appointment,
        "new": new,
        "sms": sms_receipt(
            appointment, kind="appointment.booked", phone=appointment.applicant_phone
        )
        if new
        else None,
        "qr": qr_code(checkin).svg_inline(scale=5, border=2, title=_("到厅扫码取号")),
        "ticket": Ticket.objects.filter(appointment=appointment).first(),
        "masked_name": mask_name(appointment.applicant_name),
        "masked_phone": mask_phone(appointment.applicant_phone),
        "early": conf.checkin_early_minutes(),
    }
    return render(request, "appointments/booking.html", context)


def take(request):
    """The hall's ticket page (a kiosk, or the applicant's phone): a walk-in picks the group
    (first, as most come without a booking), or enters the booking's code below."""
    form = TicketForm(request.POST or None)
    status = 200
    if request.method == "POST":
        group = get_object_or_404(
            ServiceGroup.objects.filter(is_active=True), code=request.POST.get("group", "")
        )
        try:
            if not form.is_valid():
                raise Invalid(_("请检查填写的内容"))
            guard_ticket(request)
            ticket = services.issue_ticket(
                group=group,
                priority_reason=request.POST.get("priority", ""),
                phone=form.cleaned_data["phone"],
            )
        except DomainError as exc:
            if "phone" in exc.fields:
                form.add_error("phone", exc.message)
            else:
                messages.error(request, exc.message)
            status = exc.status
        else:
            return redirect(ticket_path(ticket))
    hall = chosen_hall(request)
    context = {
        "pnav": "book",
        **hall_choice(request, hall),
        "status": queue_status(hall=hall),
        "priorities": services.offered_priorities(),
        "chosen_priority": request.POST.get("priority", ""),
        "form": form,
        "code_form": CodeForm(),
    }
    return render(request, "appointments/take.html", context, status=status)


def checkin(request):
    """Where the booking's QR code leads: confirm arrival, get the ticket."""
    number = request.POST.get("number") or request.GET.get("n", "")
    code = request.POST.get("code") or request.GET.get("c", "")
    try:
        appointment = services.find_appointment(request, number, code)
    except RateLimited as exc:
        messages.error(request, exc.message)
        return redirect("appointments:take")
    except NotFound:
        messages.error(request, _("预约号或查询码不正确，请核对预约短信"))
        return redirect("appointments:take")
    if request.method == "POST":
        try:
            guard_ticket(request)
            ticket = services.check_in(appointment)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            return redirect(ticket_path(ticket))
    return render(request, "appointments/checkin.html", {"pnav": "book", "a": appointment})


# On the primary: a push tells the phone its ticket moved and the page is re-read at once.
def ticket(request, pk):
    since = queue_position()  # before reading the ticket: its event stream replays from here
    try:
        found = services.find_ticket(request, pk, request.GET.get("c", ""))
    except (RateLimited, NotFound) as exc:
        missing = {"pnav": "book", "error": exc.message if exc.status == 429 else None}
        return render(request, "appointments/ticket_missing.html", missing, status=exc.status)
    context = {
        "pnav": "book",
        "t": found,
        "position": {**ticket_position(found), "since": since},
        "near_turn": NEAR_TURN,
        "masked_phone": mask_phone(found.phone),
    }
    return render_page(
        request,
        "appointments/ticket.html",
        context,
        fragment="appointments/partials/_ticket_status.html",
    )
