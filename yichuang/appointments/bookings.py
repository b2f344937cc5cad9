"""The verbs of an appointment: book, cancel, open extended hours, remind. Each: one
permission check, one transaction, one event."""

from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from yichuang.cases.applicants import normalize_name
from yichuang.core.crypto import keyed_hash
from yichuang.core.errors import Conflict, Invalid, NotAllowed
from yichuang.core.lookup import find_by_code
from yichuang.core.notifications.addresses import MOBILE

from . import notices, numbering, permissions
from .models import (
    Appointment,
    AppointmentStatus,
    ExtendedHours,
    QueueEvent,
    ServiceGroup,
    SlotCount,
)
from .slots import cut, find_slot, parse_periods, slot_key


def _mobile(phone: str) -> str:
    phone = "".join((phone or "").split())
    if not MOBILE.fullmatch(phone):
        raise Invalid(_("请填写 11 位手机号码，用于接收预约提醒"), code="invalid_phone")
    return phone


def _check_service(group: ServiceGroup, service) -> None:
    if service is not None and not group.services.filter(pk=service.pk).exists():
        raise Invalid(_("该事项不在所选业务分组中"), code="invalid_service")


def book_appointment(
    *, group: ServiceGroup, day: date, start: time, name: str, phone: str, service=None
) -> Appointment:
    """The applicant books a slot (public). Refused when the slot is full, has begun or does
    not exist, and when this phone already holds a booking of the group on that day."""
    name = normalize_name(name)
    phone = _mobile(phone)
    if not group.is_active or not group.takes_appointments:
        raise Invalid(_("该业务暂不接受预约"), code="no_appointments")
    _check_service(group, service)
    slot = find_slot(group, day, start)
    if slot is None:
        raise Invalid(_("该时段不可预约，请选择其他时段"), code="unknown_slot")
    now = timezone.now()
    with transaction.atomic():
        SlotCount.objects.bulk_create([SlotCount(key=slot.key)], ignore_conflicts=True)
        # The conditional update is the capacity check: the row lock it takes makes a second
        # booker wait, then see the new count.
        taken = SlotCount.objects.filter(key=slot.key, booked__lt=slot.capacity).update(
            booked=F("booked") + 1
        )
        if not taken:
            raise Conflict(_("该时段已约满，请选择其他时段"), code="slot_full")
        try:
            with transaction.atomic():
                appointment = Appointment.objects.create(
                    number=numbering.appointment_number(timezone.localdate(now)),
                    query_code=numbering.secret_code(),
                    group=group,
                    service=service,
                    window_id=slot.window_id,
                    day=day,
                    start=slot.start,
                    end=slot.end,
                    slot_key=slot.key,
                    is_extended=slot.extended,
                    applicant_name=name,
                    applicant_phone=phone,
                    phone_hash=keyed_hash(phone),
                    created_at=now,
                )
        except IntegrityError as exc:
            raise Conflict(
                _("该手机号当天已预约本业务，如需改期请先取消原预约"), code="already_booked"
            ) from exc
        QueueEvent.objects.create(
            at=now,
            action="book",
            appointment=appointment,
            data={"slot": slot.key, "extended": slot.extended},
        )
        notices.tell_booked(appointment)
    return appointment


def find_appointment(request, number: str, code: str) -> Appointment:
    """The public's way in: number and query code, through core's lookup guard (429 past the
    failures allowed to the address, else NotFound for any mismatch)."""
    return find_by_code(
        request,
        Appointment.objects.select_related("group", "service", "window"),
        code=code,
        number=(number or "").strip(),
        message=_("预约号或查询码不正确"),
    )


def cancel_appointment(appointment: Appointment, *, by=None) -> Appointment:
    """The applicant (with the code, by=None) or staff of the group's department cancel a
    booking until its slot begins; the place is free again at once."""
    group = appointment.group
    if by is not None and not (
        by.department_id == group.department_id or permissions.can_manage_group(by, group)
    ):
        raise NotAllowed(_("只能取消本部门业务的预约"))
    now = timezone.now()
    with transaction.atomic():
        locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if locked.status != AppointmentStatus.BOOKED:
            raise Conflict(
                _("预约当前状态为“%(s)s”，不能取消")
                % {"s": AppointmentStatus(locked.status).label},
                code="invalid_transition",
            )
        starts = timezone.make_aware(datetime.combine(locked.day, locked.start))
        if by is None and starts <= now:
            raise Conflict(_("预约时段已开始，不能在网上取消"), code="slot_started")
        locked.status = AppointmentStatus.CANCELLED
        locked.cancelled_at = now
        locked.save(update_fields=["status", "cancelled_at"])
        SlotCount.objects.filter(key=locked.slot_key, booked__gt=0).update(booked=F("booked") - 1)
        QueueEvent.objects.create(at=now, action="cancel", appointment=locked, by=by)
        notices.tell_cancelled(locked)
    appointment.status, appointment.cancelled_at = locked.status, locked.cancelled_at
    return appointment


def open_extended_hours(
    group: ServiceGroup,
    *,
    day: date,
    periods: str,
    by,
    slot_minutes: int = 30,
    capacity: int = 4,
    window=None,
    note: str = "",
) -> ExtendedHours:
    """延时服务: the office opens bookable hours for one date, on a holiday too when it
    chooses to (集中办理)."""
    if not permissions.can_manage_group(by, group):
        raise NotAllowed(_("只有本部门负责人或大厅管理办公室可以开放延时服务"))
    if day < timezone.localdate():
        raise Invalid(_("不能为已过去的日期开放延时服务"), code="invalid_day")
    if not 1 <= capacity <= 100:
        raise Invalid(_("每段可约人数应为 1 至 100"), code="invalid_capacity")
    if not cut(parse_periods(periods), slot_minutes):
        raise Invalid(_("时段短于每段分钟数，开不出预约时段"), code="invalid_periods")
    with transaction.atomic():
        hours = ExtendedHours.objects.create(
            group=group,
            window=window,
            day=day,
            periods=periods.strip(),
            slot_minutes=slot_minutes,
            capacity=capacity,
            note=note[:200],
            opened_by=by,
        )
        QueueEvent.objects.create(
            action="open_hours",
            by=by,
            window=window,
            data={"group": group.code, "day": day.isoformat(), "periods": hours.periods},
        )
    return hours


def close_extended_hours(hours: ExtendedHours, *, by) -> None:
    """Refused while anybody holds a booking in those hours: they must be told first."""
    if not permissions.can_manage_group(by, hours.group):
        raise NotAllowed(_("只有本部门负责人或大厅管理办公室可以关闭延时服务"))
    keys = [
        slot_key(hours.group_id, hours.window_id, hours.day, start)
        for start, _end in cut(parse_periods(hours.periods), hours.slot_minutes)
    ]
    with transaction.atomic():
        if SlotCount.objects.filter(key__in=keys, booked__gt=0).exists():
            raise Conflict(_("已有人预约这些时段，请先联系预约人"), code="has_bookings")
        QueueEvent.objects.create(
            action="close_hours",
            by=by,
            data={
                "group": hours.group.code,
                "day": hours.day.isoformat(),
                "periods": hours.periods,
            },
        )
        hours.delete()


def send_reminders(*, today: date | None = None) -> list[Appointment]:
    """The evening before: one SMS per live booking of tomorrow. A conditional update marks
    each booking reminded before it is told, so a second run (or a second process) sends
    nothing again."""
    today = today or timezone.localdate()
    tomorrow = today + timedelta(days=1)
    sent = []
    due = Appointment.objects.filter(
        day=tomorrow, status=AppointmentStatus.BOOKED, reminded_at=None
    ).select_related("group", "service")
    for appointment in due:
        with transaction.atomic():
            now = timezone.now()
            claimed = Appointment.objects.filter(
                pk=appointment.pk, status=AppointmentStatus.BOOKED, reminded_at=None
            ).update(reminded_at=now)
            if not claimed:
                continue
            QueueEvent.objects.create(at=now, action="remind", appointment=appointment)
            notices.tell_reminder(appointment)
        sent.append(appointment)
    return sent
