"""Booking and cancelling by the applicant, extended hours by the office, reminders once."""

from datetime import date, time

import pytest
from django.core.management import call_command
from django.db import connection

from yichuang.appointments import services
from yichuang.appointments.models import (
    Appointment,
    AppointmentStatus,
    ExtendedHours,
    QueueEvent,
    SlotCount,
)
from yichuang.appointments.slots import slots_for
from yichuang.core.errors import Conflict, Invalid, NotAllowed, NotFound
from yichuang.core.notifications import deliveries_about
from yichuang.core.testing import public_request

from .factories import at, make_group, xjzm

pytestmark = pytest.mark.django_db
MONDAY = date(2026, 3, 2)


def book(group, *, day=MONDAY, start=time(10, 0), phone="13812345678", **extra):
    return services.book_appointment(
        group=group, day=day, start=start, name="李小明", phone=phone, **extra
    )


def test_booking_takes_a_place_and_texts_the_number_and_code(
    hall, sms, django_capture_on_commit_callbacks
):
    service = xjzm(hall)
    group = make_group(hall, services=[service])
    with at(2026, 2, 27, 15), django_capture_on_commit_callbacks(execute=True):
        appointment = book(group, service=service)
        slot = {s.label: s for s in slots_for(group, MONDAY)}["10:00–10:30"]
    assert appointment.number.startswith("YY20260227") and len(appointment.query_code) == 8
    assert (appointment.day, appointment.start, appointment.end) == (MONDAY, time(10), time(10, 30))
    assert slot.booked == 1 and slot.free == 3
    assert [m.phone for m in sms] == ["13812345678"]
    assert appointment.number in sms[0].text and appointment.query_code in sms[0].text
    assert "学籍证明" in sms[0].text
    assert QueueEvent.objects.filter(appointment=appointment, action="book").count() == 1
    assert deliveries_about(appointment).get().data["kind"] == "appointment.booked"


def test_the_phone_is_encrypted_at_rest(hall):
    group = make_group(hall)
    with at(2026, 2, 27, 15):
        appointment = book(group)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT applicant_phone FROM {Appointment._meta.db_table} WHERE id = %s",
            [appointment.pk],
        )
        stored = cursor.fetchone()[0]
    assert "13812345678" not in stored
    assert Appointment.objects.get().applicant_phone == "13812345678"


def test_a_full_slot_refuses_the_next_booking(hall):
    group = make_group(hall, capacity=2)
    with at(2026, 2, 27, 15):
        book(group, phone="13800000001")
        book(group, phone="13800000002")
        with pytest.raises(Conflict) as refused:
            book(group, phone="13800000003")
    assert refused.value.code == "slot_full"
    assert Appointment.objects.count() == 2
    assert SlotCount.objects.get().booked == 2


def test_one_phone_holds_one_booking_per_group_and_day(hall):
    group = make_group(hall)
    with at(2026, 2, 27, 15):
        book(group)
        with pytest.raises(Conflict) as refused:
            book(group, start=time(15, 0))
        book(group, day=date(2026, 3, 3))  # another day is fine
    assert refused.value.code == "already_booked"
    # the refused second booking kept nothing: its place is still free
    with at(2026, 2, 27, 15):
        afternoon = {s.label: s for s in slots_for(group, MONDAY)}["15:00–15:30"]
    assert afternoon.booked == 0
    assert sum(SlotCount.objects.values_list("booked", flat=True)) == 2


@pytest.mark.parametrize(
    "day,start",
    [
        (date(2026, 2, 16), time(10, 0)),  # Spring Festival
        (MONDAY, time(12, 30)),  # lunch break
        (date(2026, 2, 27), time(9, 0)),  # already begun
        (date(2026, 6, 1), time(10, 0)),  # beyond the booking horizon
    ],
)
def test_slots_that_do_not_exist_cannot_be_booked(hall, day, start):
    group = make_group(hall)
    with at(2026, 2, 27, 15), pytest.raises(Invalid) as refused:
        book(group, day=day, start=start)
    assert refused.value.code == "unknown_slot"


def test_a_landline_cannot_receive_the_reminder_so_it_is_refused(hall):
    with at(2026, 2, 27, 15), pytest.raises(Invalid) as refused:
        book(make_group(hall), phone="0731-88821234")
    assert refused.value.code == "invalid_phone"


def test_cancelling_frees_the_place_and_needs_the_query_code(
    hall, sms, django_capture_on_commit_callbacks
):
    group = make_group(hall, capacity=1)
    with at(2026, 2, 27, 15):
        appointment = book(group)
        with pytest.raises(NotFound):
            services.find_appointment(public_request(), appointment.number, "WRONGCODE")
        found = services.find_appointment(
            public_request(), appointment.number, appointment.query_code.lower()
        )
        with django_capture_on_commit_callbacks(execute=True):
            services.cancel_appointment(found, by=None)
        assert found.status == AppointmentStatus.CANCELLED
        assert "已取消" in sms[-1].text
        with pytest.raises(Conflict):
            services.cancel_appointment(found, by=None)
        book(group, phone="13900000000")  # the place is free again


def test_the_applicant_cannot_cancel_once_the_slot_has_begun(hall):
    group = make_group(hall)
    with at(2026, 2, 27, 15):
        appointment = book(group)
    with at(2026, 3, 2, 10, 5), pytest.raises(Conflict) as refused:
        services.cancel_appointment(appointment, by=None)
    assert refused.value.code == "slot_started"


def test_staff_of_another_department_cannot_cancel(hall):
    group = make_group(hall)
    with at(2026, 2, 27, 15):
        appointment = book(group)
        with pytest.raises(NotAllowed):
            services.cancel_appointment(appointment, by=hall.dave)
        services.cancel_appointment(appointment, by=hall.alice)


def test_the_head_opens_extended_hours_on_a_holiday_and_they_can_be_booked(hall):
    group = make_group(hall)
    holiday = date(2026, 2, 21)
    with at(2026, 2, 13, 15):
        assert slots_for(group, holiday) == []
        with pytest.raises(NotAllowed):
            services.open_extended_hours(group, day=holiday, periods="09:00-11:00", by=hall.alice)
        services.open_extended_hours(
            group,
            day=holiday,
            periods="09:00-11:00",
            capacity=10,
            note="毕业季集中办理",
            by=hall.carol,
        )
        slots = slots_for(group, holiday)
        assert len(slots) == 4 and all(s.extended and s.capacity == 10 for s in slots)
        appointment = book(group, day=holiday, start=time(9, 30))
    assert appointment.is_extended
    assert QueueEvent.objects.filter(action="open_hours", by=hall.carol).exists()


def test_extended_hours_with_bookings_cannot_be_closed(hall):
    group = make_group(hall)
    with at(2026, 2, 27, 15):
        hours = services.open_extended_hours(group, day=MONDAY, periods="17:30-19:00", by=hall.olga)
        book(group, start=time(18, 0))
        with pytest.raises(Conflict):
            services.close_extended_hours(hours, by=hall.olga)
        # Once the booking is cancelled (its steps stay in the append-only record), they can.
        services.cancel_appointment(Appointment.objects.get(), by=None)
        services.close_extended_hours(hours, by=hall.olga)
    assert not ExtendedHours.objects.exists()


def test_reminders_go_the_evening_before_and_only_once(
    hall, sms, django_capture_on_commit_callbacks
):
    group = make_group(hall)
    with at(2026, 2, 26, 15):
        tomorrow = book(group, day=date(2026, 2, 27), phone="13800000001")
        later = book(group, day=MONDAY, phone="13800000002")
        cancelled = book(group, day=date(2026, 2, 27), start=time(15), phone="13800000003")
        services.cancel_appointment(cancelled, by=None)
    sms.clear()
    with at(2026, 2, 26, 18), django_capture_on_commit_callbacks(execute=True):
        call_command("send_appointment_reminders", stdout=open("/dev/null", "w"))
        call_command("send_appointment_reminders", stdout=open("/dev/null", "w"))
    assert [m.phone for m in sms] == ["13800000001"]
    assert "明天" in sms[0].text and "10:00" in sms[0].text and tomorrow.number in sms[0].text
    assert Appointment.objects.get(pk=tomorrow.pk).reminded_at is not None
    assert Appointment.objects.get(pk=later.pk).reminded_at is None
    assert QueueEvent.objects.filter(action="remind").count() == 1


def test_the_admin_opens_and_closes_extended_hours_through_the_office_verbs(hall):
    from django.test import Client

    from yichuang.org.testing import make_staff

    group = make_group(hall)
    root = make_staff("root", None, "administrator", is_staff=True, is_superuser=True)
    c = Client()
    c.force_login(root)
    form = {"group": group.pk, "periods": "17:30-19:00", "slot_minutes": 30, "capacity": 4}
    form |= {"opened_at_0": "2026-02-27", "opened_at_1": "15:00:00"}
    with at(2026, 2, 27, 15):
        # A day gone by is refused as the office's page refuses it: nothing opened.
        c.post("/admin/appointments/extendedhours/add/", {**form, "day": "2026-02-20"})
        assert not ExtendedHours.objects.exists()
        r = c.post("/admin/appointments/extendedhours/add/", {**form, "day": "2026-03-02"})
        assert r.status_code == 302
        hours = ExtendedHours.objects.get()
        assert (hours.opened_by, hours.day) == (root, MONDAY)
        assert QueueEvent.objects.filter(action="open_hours").exists()
        book(group, start=time(18, 0))
        # Somebody booked them: the admin may not close them behind the office's back.
        c.post(f"/admin/appointments/extendedhours/{hours.pk}/delete/", {"post": "yes"})
        assert ExtendedHours.objects.filter(pk=hours.pk).exists()
        services.cancel_appointment(Appointment.objects.get(), by=None)
        c.post(f"/admin/appointments/extendedhours/{hours.pk}/delete/", {"post": "yes"})
        assert not ExtendedHours.objects.exists()
        assert QueueEvent.objects.filter(action="close_hours").exists()
