"""Taking a ticket: a walk-in picks a service group; an applicant with a booking turns it
into a ticket ahead of walk-ins. Both public, each one transaction and one event."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yichuang.core.contacts import phone_hash
from yichuang.core.errors import Conflict, Invalid
from yichuang.core.lookup import find_by_code
from yichuang.core.notifications.addresses import MOBILE

from . import conf, numbering
from .models import (
    Appointment,
    AppointmentStatus,
    PriorityReason,
    QueueEvent,
    ServiceGroup,
    Ticket,
)


def offered_priorities() -> list[tuple[str, str]]:
    """The reasons a walk-in may declare at the ticket page, as the hall has chosen them."""
    ranks = conf.priority_ranks()
    return [
        (value, str(label))
        for value, label in PriorityReason.choices
        if value != PriorityReason.APPOINTMENT and ranks.get(value, 0) > 0
    ]


def _issue(
    group,
    *,
    service,
    reason: str,
    phone: str = "",
    digest: str = "",
    window=None,
    appointment=None,
    action: str,
) -> Ticket:
    now = timezone.now()
    day = timezone.localdate(now)
    with transaction.atomic():
        seq = numbering.ticket_seq(group.pk, day)
        ticket = Ticket.objects.create(
            group=group,
            day=day,
            seq=seq,
            number=numbering.ticket_number(group.prefix, seq),
            code=numbering.secret_code(6),
            service=service,
            appointment=appointment,
            window=window,
            priority=conf.priority_ranks().get(reason, 0) if reason else 0,
            priority_reason=reason,
            issued_at=now,
            phone=phone,
            phone_hash=digest or phone_hash(phone),
        )
        QueueEvent.objects.create(
            at=now,
            action=action,
            ticket=ticket,
            appointment=appointment,
            data={"number": ticket.number, "priority_reason": reason},
        )
    return ticket


def issue_ticket(
    *, group: ServiceGroup, service=None, priority_reason: str = "", phone: str = ""
) -> Ticket:
    """A walk-in's ticket. `priority_reason` is self-declared (elderly, disabled, …) and
    checked by the clerk at the window; only the reasons the hall offers are accepted. A
    mobile `phone` (optional) gets an SMS when few are left ahead (near.py)."""
    if not group.is_active:
        raise Invalid(_("该业务分组已停用"), code="group_inactive")
    if service is not None and not group.services.filter(pk=service.pk).exists():
        raise Invalid(_("该事项不在所选业务分组中"), code="invalid_service")
    if priority_reason and priority_reason not in dict(offered_priorities()):
        raise Invalid(_("本大厅不设该优先类别"), code="invalid_priority")
    phone = "".join((phone or "").split())
    if phone and not MOBILE.fullmatch(phone):
        raise Invalid(
            _("手机号码应为 11 位，也可以不填"), code="invalid_phone", fields={"phone": "format"}
        )
    return _issue(group, service=service, reason=priority_reason, phone=phone, action="issue")


def check_in(appointment: Appointment) -> Ticket:
    """The booked applicant arrives: from a while before the slot until a little after it,
    the booking becomes a ticket with the appointment's priority. A second scan shows the
    same ticket rather than a second one."""
    now = timezone.now()
    with transaction.atomic():
        locked = (
            Appointment.objects.select_for_update(of=("self",))
            .select_related("group", "service", "window")
            .get(pk=appointment.pk)
        )
        if locked.status == AppointmentStatus.CHECKED_IN:
            return Ticket.objects.select_related("group").get(appointment=locked)
        if locked.status != AppointmentStatus.BOOKED:
            raise Conflict(_("该预约已取消"), code="appointment_cancelled")
        starts = timezone.make_aware(datetime.combine(locked.day, locked.start))
        ends = timezone.make_aware(datetime.combine(locked.day, locked.end))
        opens = starts - timedelta(minutes=conf.checkin_early_minutes())
        if now > ends + timedelta(minutes=conf.checkin_late_minutes()):
            raise Conflict(_("预约时段已过，请取普通号"), code="too_late")
        if now < opens:
            raise Conflict(
                _("您预约的是 %(day)s %(start)s，请于 %(opens)s 后取号")
                % {
                    "day": f"{locked.day:%Y-%m-%d}",
                    "start": f"{locked.start:%H:%M}",
                    "opens": f"{timezone.localtime(opens):%H:%M}",
                },
                code="too_early",
            )
        ticket = _issue(
            locked.group,
            service=locked.service,
            reason=PriorityReason.APPOINTMENT,
            phone=locked.applicant_phone,
            digest=locked.phone_hash,
            window=locked.window,
            appointment=locked,
            action="check_in",
        )
        locked.status = AppointmentStatus.CHECKED_IN
        locked.checked_in_at = now
        locked.save(update_fields=["status", "checked_in_at"])
    appointment.status, appointment.checked_in_at = locked.status, locked.checked_in_at
    return ticket


def find_ticket(request, pk, code: str) -> Ticket:
    """The public ticket page's way in: id and the code printed with it, through core's
    lookup guard (429 past the failures allowed, else NotFound)."""
    return find_by_code(
        request,
        Ticket.objects.select_related("group", "called_window", "window", "service"),
        code=code,
        code_field="code",
        pk=int(pk) if str(pk).isdigit() and int(pk) < 2**63 else 0,
        message=_("排队号或校验码不正确"),
    )
